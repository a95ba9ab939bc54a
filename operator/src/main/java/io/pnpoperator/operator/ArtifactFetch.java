package io.pnpoperator.operator;

import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.pnpoperator.crds.PnpApi;
import io.pnpoperator.crds.profile.PnpProfile;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * The Kubernetes Job that downloads one artifact of a profile into the artifacts volume. The file is
 * written beside its final name, its MD5 checked when the profile gives one, and only then moved into
 * place, so the endpoint never serves half a file; the URL it came from is recorded next to it, so a
 * changed URL is seen and downloaded again. The Job's name is derived from the profile, the artifact, its
 * URL and MD5: re-running is idempotent, and a changed URL is a new Job.
 */
final class ArtifactFetch {

    /** Beside {@code <file>} while the download runs. */
    static final String PART = ".%s.part";
    /** Beside {@code <file>}: the URL it was downloaded from. */
    static final String SOURCE = ".%s.url";
    static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    static final String OPERATOR = "pnp-operator";
    static final String ARTIFACT_ANNOTATION = PnpApi.GROUP + "/artifact";
    /** On the download Pods: their profile, so a failed download's own words reach the profile's status. */
    static final String PROFILE_LABEL = PnpApi.GROUP + "/profile";

    private static final String MOUNT = "/artifacts";
    // The URL and names arrive as environment variables, never spliced into the script: a URL cannot run a command.
    static final String SCRIPT = """
            set -eu
            mkdir -p "$ARTIFACTS/$FOLDER"
            cd "$ARTIFACTS/$FOLDER"
            part=".$FILE.part"
            echo "downloading $URL to $FOLDER/$FILE"
            curl --fail --silent --show-error --location --retry 3 --output "$part" "$URL"
            if [ -n "$MD5" ]; then
              got=$(md5sum "$part" | cut -d ' ' -f 1)
              if [ "$got" != "$MD5" ]; then
                rm -f "$part"
                echo "$FOLDER/$FILE from $URL has MD5 $got, not $MD5 as the profile says" >&2
                exit 1
              fi
            fi
            mv -f "$part" "$FILE"
            printf '%s' "$URL" > ".$FILE.url"
            echo "$FOLDER/$FILE is in place"
            """;

    private final String image;
    private final List<LocalObjectReference> pullSecrets;
    private final String nodeName;
    private final String claim;
    private final OperatorSettings.PodSecurity ids;

    /**
     * @param image       an image with sh, curl and md5sum
     * @param pullSecrets the Secrets to pull it with (a private registry or mirror)
     * @param nodeName    the node the Jobs run on (the operator's, for a volume one node mounts); null: any
     * @param claim       the artifacts PersistentVolumeClaim, mounted writable into the Job only
     * @param ids         user, group and volume group of the Jobs' pods: the operator's own (the chart's
     *                    podSecurityContext), so files on the volume share an owner; null ones are the platform's
     */
    ArtifactFetch(String image, List<String> pullSecrets, String nodeName, String claim,
                  OperatorSettings.PodSecurity ids) {
        this.image = image;
        this.pullSecrets = pullSecrets.stream().map(LocalObjectReference::new).toList();
        this.nodeName = nodeName;
        this.claim = claim;
        this.ids = ids;
    }

    static String jobName(PnpProfile owner, Artifact artifact) {
        String identity = String.join("\n", owner.getMetadata().getUid(), artifact.path(), artifact.url(), artifact.md5());
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(identity.getBytes(StandardCharsets.UTF_8));
            return "pnp-fetch-" + HexFormat.of().formatHex(hash).substring(0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    Job job(PnpProfile owner, Artifact artifact) {
        return new JobBuilder()
                .withNewMetadata().withName(jobName(owner, artifact)).withNamespace(owner.getMetadata().getNamespace())
                .addToLabels(MANAGED_BY, OPERATOR).addToLabels("app.kubernetes.io/component", "artifact-fetch")
                .addToAnnotations(ARTIFACT_ANNOTATION, artifact.path())
                .addToOwnerReferences(new OwnerReferenceBuilder().withApiVersion(PnpApi.API_VERSION).withKind("PnpProfile")
                        .withName(owner.getMetadata().getName()).withUid(owner.getMetadata().getUid())
                        .withController(true).withBlockOwnerDeletion(true).build())
                .endMetadata()
                .withNewSpec().withBackoffLimit(2).withActiveDeadlineSeconds(4 * 3600L)
                .withNewTemplate().withNewMetadata().addToLabels(MANAGED_BY, OPERATOR)
                .addToLabels(PROFILE_LABEL, owner.getMetadata().getName()).endMetadata()
                .withNewSpec().withRestartPolicy("Never").withAutomountServiceAccountToken(false)
                .withImagePullSecrets(pullSecrets).withNodeName(nodeName)
                .withNewSecurityContext().withRunAsNonRoot(true).withRunAsUser(ids.runAsUser())
                .withRunAsGroup(ids.runAsGroup()).withFsGroup(ids.fsGroup())
                .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile()
                .endSecurityContext()
                .addNewContainer().withName("fetch").withImage(image).withCommand("sh", "-c", SCRIPT)
                .addNewEnv().withName("ARTIFACTS").withValue(MOUNT).endEnv()
                .addNewEnv().withName("FOLDER").withValue(artifact.folder()).endEnv()
                .addNewEnv().withName("FILE").withValue(artifact.file()).endEnv()
                .addNewEnv().withName("URL").withValue(artifact.url()).endEnv()
                .addNewEnv().withName("MD5").withValue(artifact.md5()).endEnv()
                // A failure's last lines become the container's termination message, which the status quotes.
                .withTerminationMessagePolicy("FallbackToLogsOnError")
                .withNewSecurityContext().withAllowPrivilegeEscalation(false).withReadOnlyRootFilesystem(true)
                .withNewCapabilities().withDrop("ALL").endCapabilities().endSecurityContext()
                .withNewResources().addToRequests("cpu", new Quantity("50m")).addToRequests("memory", new Quantity("32Mi"))
                .addToLimits("memory", new Quantity("128Mi")).endResources()
                .addNewVolumeMount().withName("artifacts").withMountPath(MOUNT).endVolumeMount()
                .endContainer()
                .addNewVolume().withName("artifacts").withNewPersistentVolumeClaim().withClaimName(claim)
                .endPersistentVolumeClaim().endVolume()
                .endSpec().endTemplate().endSpec().build();
    }
}

package io.pnpoperator.operator;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.pnpoperator.crds.profile.PnpProfile;
import io.pnpoperator.crds.profile.PnpProfileStatus.ArtifactStatus;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Whether each artifact a profile names is in place on the volume, and for those given by URL, the
 * download Job that brings it (started here when it does not run yet). What a person must do is said
 * in one sentence an artifact.
 */
final class ArtifactChecks {

    /** The ArtifactsReady reason, ordered by how much a person must do: a profile takes its artifacts' highest. */
    enum Reason { Present, Downloading, Missing, DownloadFailed }

    /** The artifacts as found, what is wrong with them, and the download Jobs still wanted. */
    record Result(List<ArtifactStatus> artifacts, List<String> problems, Reason reason, List<String> jobs) {
    }

    private record Checked(ArtifactStatus status, Optional<String> problem, Reason reason) {
    }

    private final KubernetesClient client;
    private final ArtifactVolume volume;
    private final ArtifactFetch fetch;

    ArtifactChecks(KubernetesClient client, ArtifactVolume volume, ArtifactFetch fetch) {
        this.client = client;
        this.volume = volume;
        this.fetch = fetch;
    }

    String volumeName() {
        return volume.name();
    }

    /** @param jobs the download Jobs the operator knows, by name */
    Result check(PnpProfile profile, Function<String, Optional<Job>> jobs) throws IOException {
        List<ArtifactStatus> artifacts = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        List<String> wanted = new ArrayList<>();
        Reason reason = Reason.Present;
        for (Artifact artifact : Artifact.of(profile.getSpec())) {
            Checked checked = check(profile, artifact, jobs);
            artifacts.add(checked.status());
            checked.problem().ifPresent(problems::add);
            Optional.ofNullable(checked.status().job()).ifPresent(wanted::add);
            reason = checked.reason().compareTo(reason) > 0 ? checked.reason() : reason;
        }
        return new Result(List.copyOf(artifacts), problems, reason, wanted);
    }

    private Checked check(PnpProfile profile, Artifact artifact, Function<String, Optional<Job>> jobs)
            throws IOException {
        ArtifactStatus found = volume.look(artifact.folder(), artifact.file());
        boolean md5Matches = artifact.md5().isEmpty() || artifact.md5().equals(found.md5());
        // A file put there by hand is taken when its MD5 is the one asked for; otherwise it must come from the URL.
        boolean fromThisUrl = !artifact.downloaded() || !artifact.md5().isEmpty()
                || volume.source(artifact).filter(artifact.url()::equals).isPresent();
        if (found.present() && md5Matches && fromThisUrl) {
            return new Checked(found, Optional.empty(), Reason.Present);
        }
        if (!artifact.downloaded()) {
            return new Checked(found, Optional.of(found.present()
                    ? artifact.path() + " has MD5 " + found.md5() + " but spec says " + artifact.md5()
                    : artifact.path() + " not found on volume " + volume.name()), Reason.Missing);
        }
        String name = ArtifactFetch.jobName(profile, artifact);
        Job job = jobs.apply(name).orElseGet(() -> start(profile, artifact));
        ArtifactStatus downloading = new ArtifactStatus(found.name(), found.present(), found.size(), found.md5(), name);
        String from = artifact.path() + " from " + artifact.url() + " (Job " + name + ")";
        if (hasCondition(job, "Failed")) {
            return new Checked(downloading, Optional.of("download of " + from + " failed: " + failure(job)
                    + "; fix the URL or the server, then delete Job " + name + " to try again"), Reason.DownloadFailed);
        }
        if (hasCondition(job, "Complete")) {
            return new Checked(downloading, Optional.of("downloaded " + from + ", not yet seen on volume "
                    + volume.name()), Reason.Downloading);
        }
        String soFar = volume.downloadedSoFar(artifact).stream().mapToObj(b -> ", " + (b >> 20) + " MiB so far")
                .findFirst().orElse("");
        return new Checked(downloading, Optional.of("downloading " + from + soFar), Reason.Downloading);
    }

    private Job start(PnpProfile profile, Artifact artifact) {
        try {
            return client.resource(fetch.job(profile, artifact)).create();
        } catch (KubernetesClientException e) {
            if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
                throw e;
            }
            // Created by this operator a moment ago and not in the informer yet.
            return client.batch().v1().jobs().inNamespace(profile.getMetadata().getNamespace())
                    .withName(ArtifactFetch.jobName(profile, artifact)).get();
        }
    }

    /** The failed container's own last words (its log tail), else the Job's reason. */
    private String failure(Job job) {
        Optional<String> said = client.pods().inNamespace(job.getMetadata().getNamespace())
                .withLabel("job-name", job.getMetadata().getName()).list().getItems().stream()
                .flatMap(p -> p.getStatus() == null ? Stream.empty() : p.getStatus().getContainerStatuses().stream())
                .map(c -> c.getState() == null || c.getState().getTerminated() == null ? null
                        : c.getState().getTerminated().getMessage())
                .filter(m -> m != null && !m.isBlank()).reduce((first, last) -> last).map(String::strip);
        return said.orElseGet(() -> job.getStatus().getConditions().stream().filter(c -> "Failed".equals(c.getType()))
                .map(c -> c.getReason() + ": " + c.getMessage()).findFirst().orElse("the Job failed"));
    }

    private static boolean hasCondition(Job job, String type) {
        return job != null && job.getStatus() != null && job.getStatus().getConditions() != null
                && job.getStatus().getConditions().stream().anyMatch(c -> type.equals(c.getType())
                && "True".equals(c.getStatus()));
    }
}

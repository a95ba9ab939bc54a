package io.pnpoperator.operator;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.pnpoperator.crds.device.PnpDevice;
import io.pnpoperator.crds.device.PnpDeviceStatus;
import io.pnpoperator.crds.profile.ArtifactFile;
import io.pnpoperator.crds.profile.DayZeroConfig;
import io.pnpoperator.crds.profile.Image;
import io.pnpoperator.crds.profile.PnpProfile;
import io.pnpoperator.crds.profile.PnpProfileSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/**
 * The profile the operator's tests declare, what it names (an image and a script on the volume folder,
 * a template in the ConfigMap isr1k-configs), and the operator started against the control plane.
 */
final class TestProfiles {

    /** The namespace of the tests that need none of the cluster's. */
    static final String NS = "pnp";
    static final String IMAGE = "c1100-universalk9.17.14.01a.SPA.bin";
    static final String SCRIPT = "print('hello')\n";
    static final String CONFIG_MAP = "isr1k-configs";

    private TestProfiles() {
    }

    /** The volume's folders with the script, and the image when asked. */
    static void volume(Path volume, boolean withImage) throws IOException {
        Files.createDirectories(volume.resolve("images"));
        Files.createDirectories(volume.resolve("files"));
        Files.writeString(volume.resolve("files/pxs.py"), SCRIPT);
        if (withImage) {
            Files.writeString(volume.resolve("images").resolve(IMAGE), "an image");
        }
    }

    /** The ConfigMap isr1k-configs in {@code namespace}, created or replaced. */
    static void templates(KubernetesClient client, String namespace, Map<String, String> data) {
        client.resource(new ConfigMapBuilder().withNewMetadata().withName(CONFIG_MAP).withNamespace(namespace)
                .endMetadata().addToData(data).build()).createOr(existing -> existing.update());
    }

    static PnpProfile profile(String name, String md5, String template) {
        PnpProfile profile = new PnpProfile();
        profile.setMetadata(new ObjectMetaBuilder().withName(name).build());
        profile.setSpec(new PnpProfileSpec("0x2102", new Image(IMAGE, "17.14.01a", md5, null, null),
                new DayZeroConfig(template, true, CONFIG_MAP),
                List.of(new ArtifactFile("pxs.py", "bootflash:guest-share/", null)), null, null));
        return profile;
    }

    /**
     * Sets a device's status as the endpoint would have written it. A merge patch, not an update of the copy
     * created: the operator may have written the new device already, and an update would be refused (409).
     */
    static void setStatus(KubernetesClient client, String device, PnpDeviceStatus status) {
        client.resources(PnpDevice.class).withName(device).subresource("status")
                .patch(PatchContext.of(PatchType.JSON_MERGE), client.getKubernetesSerialization()
                        .asJson(Map.of("status", status)));
    }

    /**
     * A client of the same API server for an operator under test, which closes it when it stops. It does not
     * repeat a request the API server failed: the client's own retries would hide from the reconciler the
     * failures tests make on purpose, and the reconciler's handling of them is what they check.
     */
    static KubernetesClient ownClient(KubernetesClient client) {
        return new io.fabric8.kubernetes.client.KubernetesClientBuilder().withConfig(
                new io.fabric8.kubernetes.client.ConfigBuilder(client.getConfiguration()).withRequestRetryBackoffLimit(0)
                        .build()).build();
    }

    /** The operator for the client's namespace, looking again at profiles that are not ready every 200 ms. */
    static PnpOperator startOperator(KubernetesClient client, Path volume) {
        PnpOperator operator = new PnpOperator(ownClient(client), OperatorSettings.forNamespace(client.getNamespace(),
                volume, "test")
                .withRecheck(Duration.ofMillis(200)));
        operator.start();
        return operator;
    }

    /** The profile {@code name} of the client's namespace once it has a status that satisfies {@code condition}. */
    static PnpProfile awaitProfile(KubernetesClient client, String name, Predicate<PnpProfile> condition)
            throws InterruptedException {
        Instant until = Instant.now().plusSeconds(30);
        while (Instant.now().isBefore(until)) {
            PnpProfile p = client.resources(PnpProfile.class).withName(name).get();
            if (p != null && p.getStatus() != null && condition.test(p)) {
                return p;
            }
            Thread.sleep(50);
        }
        throw new AssertionError(name + " never reached the expected status: "
                + client.resources(PnpProfile.class).withName(name).get());
    }

    static void awaitTrue(BooleanSupplier check) throws InterruptedException {
        Instant until = Instant.now().plusSeconds(30);
        while (!check.getAsBoolean()) {
            if (Instant.now().isAfter(until)) {
                throw new AssertionError("never happened");
            }
            Thread.sleep(50);
        }
    }

    static Condition condition(PnpProfile p, String type) {
        return p.getStatus().conditions().stream().filter(c -> c.getType().equals(type)).findFirst().orElseThrow();
    }

    static String md5(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has MD5", e);
        }
    }
}

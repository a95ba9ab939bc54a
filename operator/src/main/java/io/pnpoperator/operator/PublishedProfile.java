package io.pnpoperator.operator;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.pnpoperator.crds.PnpApi;
import io.pnpoperator.crds.profile.DayZeroConfig;
import io.pnpoperator.crds.profile.Image;
import io.pnpoperator.crds.profile.PnpProfile;
import io.pnpoperator.crds.profile.PnpProfileSpec;
import io.pnpoperator.crds.profile.PnpProfileStatus.ArtifactStatus;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The ConfigMap a profile owns ({@code pnpprofile-<name>}): the profile as the endpoint serves it —
 * {@code profile.yaml}, the manifest with the image's MD5 as measured — and a copy of the config
 * template and {@code <SERIAL>.cfg} keys from the ConfigMap the spec names. The endpoint serves configs
 * from this copy, which changes only when the operator has checked the source; deleting the profile
 * deletes it (owner reference).
 */
final class PublishedProfile {

    static final String PROFILE_KEY = "profile.yaml";
    static final String PROFILE_ANNOTATION = PnpApi.GROUP + "/profile";

    private PublishedProfile() {
    }

    static String name(PnpProfile profile) {
        return "pnpprofile-" + profile.getMetadata().getName();
    }

    /** @param source the ConfigMap named by spec.config.configMap, already checked to hold the template */
    static ConfigMap of(PnpProfile profile, List<ArtifactStatus> measured, ConfigMap source,
                        KubernetesSerialization serialization) {
        Map<String, String> data = new TreeMap<>();
        data.put(PROFILE_KEY, serialization.asYaml(manifest(profile, measured)));
        DayZeroConfig config = profile.getSpec().config();
        if (config != null && source != null) {
            source.getData().forEach((key, value) -> {
                boolean deviceOwn = !Boolean.FALSE.equals(config.perDevice()) && key.endsWith(".cfg");
                if (key.equals(config.template()) || deviceOwn) {
                    data.put(key, value);
                }
            });
        }
        return new ConfigMapBuilder().withNewMetadata().withName(name(profile))
                .withNamespace(profile.getMetadata().getNamespace())
                .addToLabels(ArtifactFetch.MANAGED_BY, ArtifactFetch.OPERATOR)
                .addToLabels("app.kubernetes.io/component", "profile")
                .addToAnnotations(PROFILE_ANNOTATION, profile.getMetadata().getName())
                .addToOwnerReferences(new OwnerReferenceBuilder().withApiVersion(PnpApi.API_VERSION).withKind("PnpProfile")
                        .withName(profile.getMetadata().getName()).withUid(profile.getMetadata().getUid())
                        .withController(true).withBlockOwnerDeletion(true).build())
                .endMetadata().withData(data).build();
    }

    /** What is wrong with the config a profile names, if anything: the message of its ConfigReady condition. */
    static Optional<String> configProblem(DayZeroConfig config, ConfigMap source) {
        if (config == null) {
            return Optional.empty();
        }
        if (config.configMap() == null) {
            return Optional.of("spec.config.configMap is not set: name the ConfigMap that holds " + config.template());
        }
        if (source == null) {
            return Optional.of("ConfigMap " + config.configMap() + " not found");
        }
        if (source.getData() == null || !source.getData().containsKey(config.template())) {
            return Optional.of("ConfigMap " + config.configMap() + " has no key " + config.template()
                    + (source.getData() == null ? "" : " (keys: " + String.join(", ", new TreeMap<>(source.getData())
                    .keySet()) + ")"));
        }
        return Optional.empty();
    }

    /** Does the ConfigMap in the cluster already say what {@code desired} says? */
    static boolean same(ConfigMap actual, ConfigMap desired) {
        return actual.getData() != null && actual.getData().equals(desired.getData())
                && actual.getMetadata().getOwnerReferences().equals(desired.getMetadata().getOwnerReferences());
    }

    private static PnpProfile manifest(PnpProfile profile, List<ArtifactStatus> measured) {
        PnpProfileSpec spec = profile.getSpec();
        PnpProfile manifest = new PnpProfile();
        manifest.setMetadata(new ObjectMetaBuilder().withName(profile.getMetadata().getName())
                .withNamespace(profile.getMetadata().getNamespace()).build());
        manifest.setSpec(spec.withEachImage(image -> image.withMd5(measured.stream()
                .filter(a -> a.name().equals(image.file()) && a.md5() != null)
                .map(ArtifactStatus::md5).findFirst().orElse(image.md5()))));
        return manifest;
    }
}

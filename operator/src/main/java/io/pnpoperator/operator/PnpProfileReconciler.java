package io.pnpoperator.operator;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.IndexedResourceCache;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.pnpoperator.crds.profile.ArtifactFile;
import io.pnpoperator.crds.profile.DayZeroConfig;
import io.pnpoperator.crds.profile.PnpProfile;
import io.pnpoperator.crds.profile.PnpProfileSpec;
import io.pnpoperator.crds.profile.PnpProfileStatus;
import io.pnpoperator.crds.profile.PnpProfileStatus.ArtifactStatus;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Checks what a profile names before any router asks for it: every artifact on the volume (present,
 * size, MD5 — computed when the spec gives none, verified when it does) and the day-0 config template in
 * its ConfigMap. The result is the profile's status: {@code ready}, the artifacts, the conditions
 * {@code ArtifactsReady} and {@code ConfigReady} with messages that say what to fix, and
 * {@code observedGeneration}. A profile that is not ready is checked again after a while, as files
 * arrive on the volume without any event.
 */
@ControllerConfiguration(name = "pnpprofile")
public final class PnpProfileReconciler implements Reconciler<PnpProfile> {

    private final KubernetesClient client;
    private final ArtifactVolume volume;
    private final Duration recheck;
    private final Clock clock;
    private final AtomicReference<IndexedResourceCache<PnpProfile>> profiles = new AtomicReference<>();

    PnpProfileReconciler(KubernetesClient client, ArtifactVolume volume, Duration recheck, Clock clock) {
        this.client = client;
        this.volume = volume;
        this.recheck = recheck;
        this.clock = clock;
    }

    @Override
    public UpdateControl<PnpProfile> reconcile(PnpProfile profile, Context<PnpProfile> context) throws IOException {
        profiles.compareAndSet(null, context.getPrimaryCache());
        PnpProfileSpec spec = profile.getSpec();
        List<ArtifactStatus> artifacts = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        if (spec.image() != null) {
            check("images", spec.image().file(), spec.image().md5(), artifacts, problems);
        }
        for (ArtifactFile file : spec.files() == null ? List.<ArtifactFile>of() : spec.files()) {
            check("files", file.name(), null, artifacts, problems);
        }
        Optional<String> configProblem = configProblem(profile);

        List<Condition> before = profile.getStatus() == null || profile.getStatus().conditions() == null
                ? List.of() : profile.getStatus().conditions();
        List<Condition> conditions = List.of(
                condition(before, "ArtifactsReady", problems.isEmpty(), "Present", "every artifact is on volume "
                        + volume.name(), "Missing", String.join("; ", problems)),
                condition(before, "ConfigReady", configProblem.isEmpty(), "Found", "the day-0 config template is there",
                        "NotFound", configProblem.orElse("")));
        boolean ready = problems.isEmpty() && configProblem.isEmpty();
        PnpProfileStatus previous = profile.getStatus();
        profile.setStatus(new PnpProfileStatus(ready, List.copyOf(artifacts), previous == null ? null : previous.configMap(),
                conditions, profile.getMetadata().getGeneration(), previous == null ? null : previous.devices()));
        UpdateControl<PnpProfile> update = UpdateControl.patchStatus(profile);
        return ready ? update : update.rescheduleAfter(recheck);
    }

    /** Profiles found ready, from the operator's cache of them: deleted ones are not counted. */
    double readyProfiles() {
        IndexedResourceCache<PnpProfile> cache = profiles.get();
        return cache == null ? 0 : cache.list().filter(p -> p.getStatus() != null
                && Boolean.TRUE.equals(p.getStatus().ready())).count();
    }

    private void check(String folder, String file, String expectedMd5, List<ArtifactStatus> artifacts,
                       List<String> problems) throws IOException {
        ArtifactStatus found = volume.look(folder, file);
        artifacts.add(found);
        if (!found.present()) {
            problems.add(folder + "/" + file + " not found on volume " + volume.name());
        } else if (expectedMd5 != null && !expectedMd5.isEmpty() && !expectedMd5.equals(found.md5())) {
            problems.add(folder + "/" + file + " has MD5 " + found.md5() + " but spec says " + expectedMd5);
        }
    }

    private Optional<String> configProblem(PnpProfile profile) {
        DayZeroConfig config = profile.getSpec().config();
        if (config == null) {
            return Optional.empty();
        }
        if (config.configMap() == null) {
            return Optional.of("spec.config.configMap is not set: name the ConfigMap that holds " + config.template());
        }
        ConfigMap map = client.configMaps().inNamespace(profile.getMetadata().getNamespace())
                .withName(config.configMap()).get();
        if (map == null) {
            return Optional.of("ConfigMap " + config.configMap() + " not found");
        }
        if (map.getData() == null || !map.getData().containsKey(config.template())) {
            return Optional.of("ConfigMap " + config.configMap() + " has no key " + config.template());
        }
        return Optional.empty();
    }

    /** A condition that keeps its lastTransitionTime while its status stays the same. */
    private Condition condition(List<Condition> before, String type, boolean on, String reason, String message,
                                String offReason, String offMessage) {
        String status = on ? "True" : "False";
        String since = before.stream().filter(c -> type.equals(c.getType()) && status.equals(c.getStatus()))
                .map(Condition::getLastTransitionTime).findFirst().orElse(clock.instant().toString());
        return new ConditionBuilder().withType(type).withStatus(status).withReason(on ? reason : offReason)
                .withMessage(on ? message : offMessage).withLastTransitionTime(since).build();
    }
}

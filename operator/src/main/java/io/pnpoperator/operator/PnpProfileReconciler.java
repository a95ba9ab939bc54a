package io.pnpoperator.operator;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.IndexedResourceCache;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.Mappers;
import io.pnpoperator.toolkit.kubernetes.Conditions;
import io.pnpoperator.crds.device.DevicePhase;
import io.pnpoperator.crds.device.PnpDevice;
import io.pnpoperator.crds.profile.DayZeroConfig;
import io.pnpoperator.crds.profile.PnpProfile;
import io.pnpoperator.crds.profile.PnpProfileStatus;
import io.pnpoperator.crds.profile.PnpProfileStatus.ArtifactStatus;
import io.pnpoperator.crds.profile.SpecCheck;
import io.pnpoperator.toolkit.kubernetes.Keys;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Checks what a profile names before any router asks for it, and publishes it for the endpoint. The
 * spec on its own ({@code SpecValid}); every artifact on the volume — present, size, MD5 computed when the
 * spec gives none and verified when it does — downloaded by a Job when the spec gives a URL
 * ({@code ArtifactsReady}); the config template in the ConfigMap the spec names ({@code ConfigReady}).
 * The profile's own ConfigMap ({@link PublishedProfile}) carries what the endpoint serves. The status
 * also counts the devices naming the profile, by phase. It is written only when it changes; a profile
 * that is not ready is looked at again after a while, as files arrive on the volume without any event.
 */
@ControllerConfiguration(name = "pnpprofile")
public final class PnpProfileReconciler implements Reconciler<PnpProfile> {

    static final String SPEC_VALID = "SpecValid";
    static final String ARTIFACTS_READY = "ArtifactsReady";
    static final String CONFIG_READY = "ConfigReady";
    private static final String BY_CONFIG_MAP = "configMap";

    private final KubernetesClient client;
    private final ArtifactChecks artifactChecks;
    private final Duration recheck;
    private final Clock clock;
    private final AtomicReference<IndexedResourceCache<PnpProfile>> profiles = new AtomicReference<>();
    private InformerEventSource<ConfigMap, PnpProfile> configMaps;
    private InformerEventSource<Job, PnpProfile> jobs;
    private InformerEventSource<PnpDevice, PnpProfile> devices;

    PnpProfileReconciler(KubernetesClient client, ArtifactChecks artifactChecks, Duration recheck, Clock clock) {
        this.client = client;
        this.artifactChecks = artifactChecks;
        this.recheck = recheck;
        this.clock = clock;
    }

    /**
     * Besides profiles, the operator watches what changes their status: ConfigMaps (a profile's own, and
     * the one its spec names), the download Jobs it owns, and the devices naming a profile (for the counts).
     */
    @Override
    public List<EventSource<?, PnpProfile>> prepareEventSources(EventSourceContext<PnpProfile> context) {
        context.getPrimaryCache().addIndexer(BY_CONFIG_MAP, p -> Optional.ofNullable(p.getSpec().config())
                .map(DayZeroConfig::configMap).map(name -> List.of(Keys.of(p.getMetadata().getNamespace(), name)))
                .orElse(List.of()));
        configMaps = new InformerEventSource<>(InformerEventSourceConfiguration.from(ConfigMap.class, PnpProfile.class)
                .withName("configmaps").withNamespacesInheritedFromController()
                .withSecondaryToPrimaryMapper(map -> Stream.concat(
                        Mappers.<ConfigMap>fromOwnerReferences(PnpProfile.class).toPrimaryResourceIDs(map).stream(),
                        context.getPrimaryCache().byIndex(BY_CONFIG_MAP, Keys.of(map)).stream().map(ResourceID::fromResource))
                        .collect(Collectors.toSet())).build(), context);
        jobs = new InformerEventSource<>(InformerEventSourceConfiguration.from(Job.class, PnpProfile.class)
                .withName("jobs").withNamespacesInheritedFromController()
                .withLabelSelector(ArtifactFetch.MANAGED_BY + "=" + ArtifactFetch.OPERATOR)
                .withSecondaryToPrimaryMapper(Mappers.fromOwnerReferences(PnpProfile.class)).build(), context);
        devices = new InformerEventSource<>(InformerEventSourceConfiguration.from(PnpDevice.class, PnpProfile.class)
                .withName("devices").withNamespacesInheritedFromController()
                // The counts change with a device's phase or profile, not with each of its ~34 status writes.
                .withOnUpdateFilter((now, before) -> !Objects.equals(phaseOf(now), phaseOf(before))
                        || !Objects.equals(now.getSpec().profile(), before.getSpec().profile()))
                .withSecondaryToPrimaryMapper(device -> device.getSpec().profile() == null ? Set.of()
                        : Set.of(new ResourceID(device.getSpec().profile(), device.getMetadata().getNamespace())))
                .build(), context);
        devices.addIndexers(Map.of(Indexes.DEVICES_BY_PROFILE, Indexes::profileOf));
        return List.of(configMaps, jobs, devices);
    }

    @Override
    public UpdateControl<PnpProfile> reconcile(PnpProfile profile, Context<PnpProfile> context) throws IOException {
        profiles.compareAndSet(null, context.getPrimaryCache());
        PnpProfileStatus before = profile.getStatus();
        List<Condition> conditions = before == null || before.conditions() == null ? List.of() : before.conditions();
        List<String> specProblems = SpecCheck.problems(profile.getSpec());
        PnpProfileStatus now;
        if (!specProblems.isEmpty()) {
            String notChecked = "not checked: " + SPEC_VALID + " is False";
            now = new PnpProfileStatus(false, List.of(), null, List.of(
                    condition(conditions, SPEC_VALID, "False", "Invalid", String.join("; ", specProblems)),
                    condition(conditions, ARTIFACTS_READY, "Unknown", "SpecInvalid", notChecked),
                    condition(conditions, CONFIG_READY, "Unknown", "SpecInvalid", notChecked)),
                    profile.getMetadata().getGeneration(), devicesByPhase(profile));
        } else {
            now = check(profile, conditions, context);
        }
        boolean ready = Boolean.TRUE.equals(now.ready());
        UpdateControl<PnpProfile> update;
        if (now.equals(before)) {
            update = UpdateControl.noUpdate();
        } else {
            profile.setStatus(now);
            update = UpdateControl.patchStatus(profile);
        }
        return ready ? update : update.rescheduleAfter(recheck);
    }

    private PnpProfileStatus check(PnpProfile profile, List<Condition> conditions, Context<PnpProfile> context)
            throws IOException {
        ArtifactChecks.Result artifacts = artifactChecks.check(profile,
                name -> jobs.get(new ResourceID(name, profile.getMetadata().getNamespace())));
        // Jobs of URLs no longer wanted, or of artifacts now in place, are done with.
        context.getSecondaryResources(Job.class).stream().filter(j -> !artifacts.jobs().contains(j.getMetadata().getName()))
                .forEach(j -> client.resource(j).withPropagationPolicy(DeletionPropagation.BACKGROUND).delete());

        DayZeroConfig config = profile.getSpec().config();
        ConfigMap source = config == null || config.configMap() == null ? null
                : configMaps.get(new ResourceID(config.configMap(), profile.getMetadata().getNamespace())).orElse(null);
        Optional<String> configProblem = PublishedProfile.configProblem(config, source);
        String published = configProblem.isEmpty() ? publish(profile, artifacts.artifacts(), source) : null;
        boolean ready = artifacts.problems().isEmpty() && configProblem.isEmpty();
        return new PnpProfileStatus(ready, artifacts.artifacts(), published, List.of(
                condition(conditions, SPEC_VALID, "True", "Valid", "the spec names everything it needs"),
                artifacts.problems().isEmpty() ? condition(conditions, ARTIFACTS_READY, "True", "Present",
                        "every artifact is on volume " + artifactChecks.volumeName())
                        : condition(conditions, ARTIFACTS_READY, "False", artifacts.reason().name(),
                                String.join("; ", artifacts.problems())),
                configProblem.map(p -> condition(conditions, CONFIG_READY, "False", "NotFound", p))
                        .orElseGet(() -> condition(conditions, CONFIG_READY, "True", "Published",
                                "served from ConfigMap " + published))),
                profile.getMetadata().getGeneration(), devicesByPhase(profile));
    }

    /** Creates or updates the profile's own ConfigMap when it differs from what it should say; its name. */
    private String publish(PnpProfile profile, List<ArtifactStatus> artifacts, ConfigMap source) {
        ConfigMap desired = PublishedProfile.of(profile, artifacts, source, client.getKubernetesSerialization());
        Optional<ConfigMap> actual = configMaps.get(ResourceID.fromResource(desired));
        if (actual.isEmpty()) {
            client.resource(desired).create();
        } else if (!PublishedProfile.same(actual.get(), desired)) {
            desired.getMetadata().setResourceVersion(actual.get().getMetadata().getResourceVersion());
            client.resource(desired).update();
        }
        return desired.getMetadata().getName();
    }

    /** Devices naming the profile, by phase; those not heard from yet count as NotContacted. */
    private Map<String, Long> devicesByPhase(PnpProfile profile) {
        return devices.byIndex(Indexes.DEVICES_BY_PROFILE, Keys.of(profile))
                .stream().collect(Collectors.groupingBy(d -> d.getStatus() == null || d.getStatus().phase() == null
                        ? "NotContacted" : phaseName(d.getStatus().phase().name()), TreeMap::new, Collectors.counting()));
    }

    private static DevicePhase phaseOf(PnpDevice device) {
        return device.getStatus() == null ? null : device.getStatus().phase();
    }

    /** Profiles found ready, from the operator's cache of them: deleted ones are not counted. */
    double readyProfiles() {
        IndexedResourceCache<PnpProfile> cache = profiles.get();
        return cache == null ? 0 : cache.list().filter(p -> p.getStatus() != null
                && Boolean.TRUE.equals(p.getStatus().ready())).count();
    }

    double allProfiles() {
        IndexedResourceCache<PnpProfile> cache = profiles.get();
        return cache == null ? 0 : cache.list().count();
    }

    private static String phaseName(String constant) {
        return constant.charAt(0) + constant.substring(1).toLowerCase();
    }

    private Condition condition(List<Condition> before, String type, String status, String reason, String message) {
        return Conditions.next(before, type, status, reason, message, clock.instant());
    }
}

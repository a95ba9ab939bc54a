package io.pnpoperator.operator;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Workflow;
import io.javaoperatorsdk.operator.processing.dependent.workflow.WorkflowBuilder;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.Mappers;
import io.pnpoperator.crds.device.DevicePhase;
import io.pnpoperator.crds.device.PnpDevice;
import io.pnpoperator.crds.profile.DayZeroConfig;
import io.pnpoperator.crds.profile.MatchRules;
import io.pnpoperator.crds.profile.PnpProfile;
import io.pnpoperator.crds.profile.PnpProfileStatus;
import io.pnpoperator.crds.profile.SpecCheck;
import io.pnpoperator.toolkit.kubernetes.Conditions;
import io.pnpoperator.toolkit.kubernetes.Keys;
import io.pnpoperator.toolkit.kubernetes.StatusPatch;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Checks what a profile names before any router asks for it, and publishes it for the endpoint. Each reconcile
 * first finds what the profile is ({@link ProfileCheck}: the spec, every artifact on the volume, the config
 * template), then lets its workflow bring the dependents in line — the profile's own ConfigMap
 * ({@link PublishedConfigMap}) and a download Job an artifact given by URL ({@link DownloadJobs}) — and writes the
 * status: {@code SpecValid}, {@code ArtifactsReady}, {@code ConfigReady}, {@code Ready}, and the devices naming
 * the profile by phase. Every profile is looked at again after a while: files arrive on the volume, and are
 * replaced, without any event.
 */
@ControllerConfiguration(name = "pnpprofile", finalizerName = PnpProfileReconciler.IN_USE)
public final class PnpProfileReconciler implements Reconciler<PnpProfile>, Cleaner<PnpProfile> {

    /** Held on every profile, so that deleting one that routers are being provisioned with waits for them. */
    static final String IN_USE = "pnp.pnpoperator.io/in-use";
    /** Phases in which a device still needs its profile: mid-workflow, or blocked there until a person acts. */
    static final Set<DevicePhase> USING_THE_PROFILE = Set.of(DevicePhase.PROVISIONING, DevicePhase.BLOCKED);

    static final String SPEC_VALID = "SpecValid";
    static final String ARTIFACTS_READY = "ArtifactsReady";
    static final String CONFIG_READY = "ConfigReady";
    static final String READY = "Ready";
    private static final String BY_CONFIG_MAP = "configMap";

    private final ArtifactChecks artifactChecks;
    private final PublishedConfigMap published = new PublishedConfigMap();
    private final DownloadJobs downloads;
    private final Workflow<PnpProfile> workflow;
    private final Duration recheck;
    private final Clock clock;
    private IndexerResourceCache<PnpProfile> profiles;

    PnpProfileReconciler(ArtifactChecks artifactChecks, ArtifactFetch fetch, Duration recheck, Clock clock) {
        this(artifactChecks, fetch, recheck, clock, true);
    }

    /** A reconciler whose reconcile writes nothing but the status it returns: a unit test's, without a cluster. */
    static PnpProfileReconciler withoutDependents(ArtifactChecks artifactChecks, ArtifactFetch fetch, Duration recheck,
                                                  Clock clock) {
        return new PnpProfileReconciler(artifactChecks, fetch, recheck, clock, false);
    }

    private PnpProfileReconciler(ArtifactChecks artifactChecks, ArtifactFetch fetch, Duration recheck, Clock clock,
                                 boolean dependents) {
        this.artifactChecks = artifactChecks;
        this.downloads = new DownloadJobs(fetch);
        WorkflowBuilder<PnpProfile> workflow = new WorkflowBuilder<>();
        if (dependents) {
            workflow.addDependentResourceAndConfigure(downloads)
                    .addDependentResourceAndConfigure(published)
                    .withReconcilePrecondition((dependent, profile, context) -> ProfileCheck.of(context).publishable());
        }
        this.workflow = workflow.build();
        this.recheck = recheck;
        this.clock = clock;
    }

    /**
     * Besides profiles, the operator watches what changes their status: ConfigMaps (a profile's own, and the one
     * its spec names), the download Jobs it owns and their Pods, and the devices naming a profile (for the counts).
     */
    @Override
    public List<EventSource<?, PnpProfile>> prepareEventSources(EventSourceContext<PnpProfile> context) {
        profiles = context.getPrimaryCache();
        profiles.addIndexer(BY_CONFIG_MAP, p -> Optional.ofNullable(p.getSpec().config())
                .map(DayZeroConfig::configMap).map(name -> List.of(Keys.of(p.getMetadata().getNamespace(), name)))
                .orElse(List.of()));
        // A profile's ConfigMaps are its own and the one its spec names; either changing reconciles it.
        InformerEventSource<ConfigMap, PnpProfile> configMaps = new InformerEventSource<>(InformerEventSourceConfiguration
                .from(ConfigMap.class, PnpProfile.class).withName("configmaps").withNamespacesInheritedFromController()
                .withPrimaryToSecondaryMapper((PnpProfile p) -> Stream.concat(Stream.of(PublishedProfile.name(p)),
                        Optional.ofNullable(p.getSpec().config()).map(DayZeroConfig::configMap).stream())
                        .map(name -> new ResourceID(name, p.getMetadata().getNamespace())).collect(Collectors.toSet()))
                .withSecondaryToPrimaryMapper(map -> Stream.concat(
                        Mappers.<ConfigMap>fromOwnerReferences(PnpProfile.class).toPrimaryResourceIDs(map).stream(),
                        profiles.byIndex(BY_CONFIG_MAP, Keys.of(map)).stream().map(ResourceID::fromResource))
                        .collect(Collectors.toSet())).build(), context);
        InformerEventSource<Job, PnpProfile> jobs = new InformerEventSource<>(InformerEventSourceConfiguration
                .from(Job.class, PnpProfile.class).withName("jobs").withNamespacesInheritedFromController()
                .withLabelSelector(ArtifactFetch.MANAGED_BY + "=" + ArtifactFetch.OPERATOR)
                .withSecondaryToPrimaryMapper(Mappers.fromOwnerReferences(PnpProfile.class)).build(), context);
        InformerEventSource<Pod, PnpProfile> pods = new InformerEventSource<>(InformerEventSourceConfiguration
                .from(Pod.class, PnpProfile.class).withName("download-pods").withNamespacesInheritedFromController()
                .withLabelSelector(ArtifactFetch.MANAGED_BY + "=" + ArtifactFetch.OPERATOR)
                .withSecondaryToPrimaryMapper(pod -> Optional.ofNullable(pod.getMetadata().getLabels()
                                .get(ArtifactFetch.PROFILE_LABEL))
                        .map(name -> Set.of(new ResourceID(name, pod.getMetadata().getNamespace()))).orElse(Set.of()))
                .build(), context);
        InformerEventSource<PnpDevice, PnpProfile> devices = new InformerEventSource<>(InformerEventSourceConfiguration
                .from(PnpDevice.class, PnpProfile.class).withName("devices").withNamespacesInheritedFromController()
                // The counts change with a device's phase or profile, not with each of its status writes.
                .withOnUpdateFilter((now, before) -> !Objects.equals(phaseOf(now), phaseOf(before))
                        || !Objects.equals(now.getSpec().profile(), before.getSpec().profile()))
                .withSecondaryToPrimaryMapper(device -> device.getSpec().profile() == null ? Set.of()
                        : Set.of(new ResourceID(device.getSpec().profile(), device.getMetadata().getNamespace())))
                .build(), context);
        // Profiles with spec.match look at each other's rules: a change of one reconciles those that have rules.
        InformerEventSource<PnpProfile, PnpProfile> rules = new InformerEventSource<>(InformerEventSourceConfiguration
                .from(PnpProfile.class, PnpProfile.class).withName("match-rules").withNamespacesInheritedFromController()
                .withPrimaryToSecondaryMapper((PnpProfile p) -> withRules(p.getMetadata().getNamespace()))
                .withSecondaryToPrimaryMapper(other -> withRules(other.getMetadata().getNamespace())).build(), context);
        published.setEventSource(configMaps);
        downloads.setEventSource(jobs);
        return List.of(configMaps, jobs, pods, devices, rules);
    }

    private Set<ResourceID> withRules(String namespace) {
        return profiles.list(namespace).filter(p -> p.getSpec() != null && p.getSpec().match() != null)
                .map(ResourceID::fromResource).collect(Collectors.toSet());
    }

    @Override
    public UpdateControl<PnpProfile> reconcile(PnpProfile profile, Context<PnpProfile> context) throws IOException {
        ProfileCheck check = check(profile, context);
        check.into(context);
        workflow.reconcile(profile, context);

        PnpProfileStatus before = profile.getStatus();
        PnpProfileStatus now = status(profile, check, conditionsOf(before), devicesByPhase(context));
        UpdateControl<PnpProfile> update;
        if (now.equals(before)) {
            update = UpdateControl.noUpdate();
        } else {
            profile.setStatus(now);
            update = UpdateControl.patchStatus(profile);
        }
        // Looked at again after a while, ready or not: files arrive on the volume, and are replaced, without events.
        return update.rescheduleAfter(recheck);
    }

    /**
     * A profile being deleted goes once no device is being provisioned with it; until then it stays, with
     * {@code Ready=False} (reason {@code DeletionWaitsForDevices}) naming them, and is looked at again as they
     * move on (their phase changes reconcile it) and every half minute.
     */
    @Override
    public DeleteControl cleanup(PnpProfile profile, Context<PnpProfile> context) {
        List<String> using = context.getSecondaryResourcesAsStream(PnpDevice.class)
                .filter(d -> d.getStatus() != null && USING_THE_PROFILE.contains(d.getStatus().phase()))
                .map(d -> d.getMetadata().getName()).sorted().toList();
        if (using.isEmpty()) {
            return DeleteControl.defaultDelete();
        }
        String names = String.join(", ", using.subList(0, Math.min(10, using.size())))
                + (using.size() > 10 ? " and " + (using.size() - 10) + " more" : "");
        String message = "deleted, but kept until no device is provisioned with it: " + names
                + " (let them finish, or delete them)";
        List<Condition> before = conditionsOf(profile.getStatus());
        Optional<Condition> ready = Conditions.find(before, READY);
        if (ready.isEmpty() || !message.equals(ready.get().getMessage())) {
            List<Condition> conditions = Stream.concat(before.stream().filter(c -> !READY.equals(c.getType())),
                    Stream.of(condition(before, profile.getMetadata().getGeneration(), READY, "False",
                            "DeletionWaitsForDevices", message))).toList();
            StatusPatch.set(context.getClient(), profile, profile.getStatus() == null ? "/status" : "/status/conditions",
                    profile.getStatus() == null ? Map.of("conditions", conditions) : conditions);
        }
        return DeleteControl.noFinalizerRemoval().rescheduleAfter(Duration.ofSeconds(30));
    }

    /** A reconcile that failed (an API server error, an unreadable volume) says so in Ready, and is retried. */
    @Override
    public ErrorStatusUpdateControl<PnpProfile> updateErrorStatus(PnpProfile profile, Context<PnpProfile> context,
                                                                  Exception e) {
        PnpProfileStatus before = profile.getStatus();
        List<Condition> conditions = Stream.concat(conditionsOf(before).stream().filter(c -> !READY.equals(c.getType())),
                Stream.of(condition(conditionsOf(before), profile.getMetadata().getGeneration(), READY, "False",
                        "ReconcileError", "could not check the profile: " + e.getMessage()))).toList();
        profile.setStatus(before == null
                ? new PnpProfileStatus(false, List.of(), null, conditions, profile.getMetadata().getGeneration(), null)
                : before.withConditions(conditions));
        return ErrorStatusUpdateControl.patchStatus(profile);
    }

    private ProfileCheck check(PnpProfile profile, Context<PnpProfile> context) throws IOException {
        List<String> specProblems = Stream.concat(SpecCheck.problems(profile.getSpec()).stream(),
                matchConflict(profile, context).stream()).toList();
        if (!specProblems.isEmpty()) {
            return new ProfileCheck(specProblems, new ArtifactChecks.Result(List.of(), List.of(),
                    ArtifactChecks.Reason.Present, List.of()), Optional.empty(), Optional.empty());
        }
        ArtifactChecks.Result artifacts = artifactChecks.check(profile, new ArtifactChecks.Downloads() {
            public Optional<Job> job(String name) {
                return context.getSecondaryResourcesAsStream(Job.class)
                        .filter(j -> j.getMetadata().getName().equals(name)).findFirst();
            }

            public List<Pod> pods(String jobName) {
                return context.getSecondaryResourcesAsStream(Pod.class)
                        .filter(p -> jobName.equals(p.getMetadata().getLabels().get("job-name"))).toList();
            }
        });
        DayZeroConfig config = profile.getSpec().config();
        Optional<ConfigMap> source = config == null || config.configMap() == null ? Optional.empty()
                : context.getSecondaryResourcesAsStream(ConfigMap.class)
                        .filter(m -> m.getMetadata().getName().equals(config.configMap())).findFirst();
        return new ProfileCheck(specProblems, artifacts, source,
                PublishedProfile.configProblem(config, source.orElse(null)));
    }

    /** Another profile's rule that some router could meet together with this one's at the same priority. */
    private static Optional<String> matchConflict(PnpProfile profile, Context<PnpProfile> context) {
        MatchRules.Rule mine = new MatchRules.Rule(profile.getMetadata().getName(), profile.getSpec().match());
        List<MatchRules.Rule> others = context.getSecondaryResourcesAsStream(PnpProfile.class)
                .map(p -> new MatchRules.Rule(p.getMetadata().getName(), p.getSpec().match())).toList();
        List<String> conflicts = MatchRules.conflicts(mine, others);
        return conflicts.isEmpty() ? Optional.empty()
                : Optional.of(MatchRules.conflictMessage(mine.profile(), conflicts));
    }

    private PnpProfileStatus status(PnpProfile profile, ProfileCheck check, List<Condition> before,
                                    Map<String, Long> devices) {
        Long generation = profile.getMetadata().getGeneration();
        if (!check.specValid()) {
            String notChecked = "not checked: " + SPEC_VALID + " is False";
            String problems = String.join("; ", check.specProblems());
            return new PnpProfileStatus(false, List.of(), null, List.of(
                    condition(before, generation, SPEC_VALID, "False", "Invalid", problems),
                    condition(before, generation, ARTIFACTS_READY, "Unknown", "SpecInvalid", notChecked),
                    condition(before, generation, CONFIG_READY, "Unknown", "SpecInvalid", notChecked),
                    condition(before, generation, READY, "False", "SpecInvalid", problems)), generation, devices);
        }
        ArtifactChecks.Result artifacts = check.artifacts();
        String publishedName = check.publishable() ? PublishedProfile.name(profile) : null;
        Condition artifactsReady = artifacts.problems().isEmpty()
                ? condition(before, generation, ARTIFACTS_READY, "True", "Present", "every artifact is on volume "
                        + artifactChecks.volumeName())
                : condition(before, generation, ARTIFACTS_READY, "False", artifacts.reason().name(),
                        String.join("; ", artifacts.problems()));
        Condition configReady = check.configProblem()
                .map(p -> condition(before, generation, CONFIG_READY, "False", "NotFound", p))
                .orElseGet(() -> condition(before, generation, CONFIG_READY, "True", "Published", "served from ConfigMap "
                        + publishedName));
        Condition ready = check.ready()
                ? condition(before, generation, READY, "True", "Ready", "routers can be provisioned with this profile")
                : condition(before, generation, READY, "False", "NotReady", Stream.of(artifactsReady, configReady)
                        .filter(c -> "False".equals(c.getStatus())).map(Condition::getMessage)
                        .collect(Collectors.joining("; ")));
        return new PnpProfileStatus(check.ready(), artifacts.artifacts(), publishedName, List.of(
                condition(before, generation, SPEC_VALID, "True", "Valid", "the spec names everything it needs"),
                artifactsReady, configReady, ready), generation, devices);
    }

    /** Devices naming the profile, by phase; those not heard from yet count as NotContacted. */
    private static Map<String, Long> devicesByPhase(Context<PnpProfile> context) {
        return context.getSecondaryResourcesAsStream(PnpDevice.class)
                .collect(Collectors.groupingBy(d -> d.getStatus() == null || d.getStatus().phase() == null
                        ? "NotContacted" : phaseName(d.getStatus().phase().name()), TreeMap::new, Collectors.counting()));
    }

    private static DevicePhase phaseOf(PnpDevice device) {
        return device.getStatus() == null ? null : device.getStatus().phase();
    }

    private static List<Condition> conditionsOf(PnpProfileStatus status) {
        return status == null || status.conditions() == null ? List.of() : status.conditions();
    }

    /** Profiles found ready, from the operator's cache of them: deleted ones are not counted. */
    double readyProfiles() {
        return profiles == null ? 0 : profiles.list().filter(p -> p.getStatus() != null
                && Boolean.TRUE.equals(p.getStatus().ready())).count();
    }

    double allProfiles() {
        return profiles == null ? 0 : profiles.list().count();
    }

    private static String phaseName(String constant) {
        return constant.charAt(0) + constant.substring(1).toLowerCase();
    }

    private Condition condition(List<Condition> before, Long generation, String type, String status, String reason,
                                String message) {
        return Conditions.next(before, type, status, reason, message, generation, clock.instant());
    }
}

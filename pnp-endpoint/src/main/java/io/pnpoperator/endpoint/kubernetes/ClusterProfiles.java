package io.pnpoperator.endpoint.kubernetes;

import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.pnpoperator.crds.device.PnpDevice;
import io.pnpoperator.crds.profile.MatchRules;
import io.pnpoperator.crds.profile.PnpProfile;
import io.pnpoperator.crds.profile.PnpProfileStatus;
import io.pnpoperator.endpoint.artifacts.ArtifactCatalog;
import io.pnpoperator.endpoint.artifacts.ArtifactCatalog.Kind;
import io.pnpoperator.endpoint.profile.ProfileException;
import io.pnpoperator.endpoint.profile.ProfileMapping;
import io.pnpoperator.endpoint.protocol.Credentials;
import io.pnpoperator.endpoint.provisioning.ProfileSource;
import io.pnpoperator.endpoint.workflow.Phase;
import io.pnpoperator.endpoint.workflow.Profile;
import io.pnpoperator.toolkit.kubernetes.Keys;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.BiFunction;

/**
 * Which PnpProfile provisions a device: its {@code spec.profile}, or for a serial never seen the default
 * profile ({@code pnp.unknown-devices=register}) or none ({@code reject}). A profile is used only once the
 * operator has found it ready, with its artifacts' MD5s in its status. Read from informers, no API calls (but
 * a Secret a profile names for device logins, read once a minute).
 */
public final class ClusterProfiles implements ProfileSource {

    private final KubernetesDeviceStore devices;
    private final SharedIndexInformer<PnpProfile> profiles;
    private final String namespace;
    private final ProfileRules rules;
    private final SecretCredentials credentials;
    private final ArtifactCatalog catalog;

    /**
     * @param volume     the artifacts volume, with images/ and files/
     * @param background where a file replaced on the volume is measured again
     */
    public ClusterProfiles(KubernetesDeviceStore devices, SharedIndexInformer<PnpProfile> profiles, String namespace,
                           ProfileRules rules, SecretCredentials credentials,
                           Path volume, Executor background) {
        this.catalog = new ArtifactCatalog(() -> artifacts(volume), background);
        this.devices = devices;
        this.credentials = credentials;
        this.profiles = profiles;
        this.namespace = namespace;
        this.rules = rules;
    }

    @Override
    public Assignment assign(String serial, String pid) {
        Optional<PnpDevice> device = devices.resource(serial);
        String name = KubernetesDeviceStore.nameOf(serial);
        if (device.map(d -> Boolean.TRUE.equals(d.getSpec().paused())).orElse(false)) {
            return new Held("paused: spec.paused of PnpDevice " + name + " is true", Phase.PENDING);
        }
        Optional<String> profileName = device.map(d -> d.getSpec().profile());
        // A router nobody named a profile for (new, or registered by the endpoint before the rules could decide)
        if (profileName.isEmpty() && device.map(KubernetesDeviceStore::discovered).orElse(true)) {
            MatchRules.Choice choice = rules.choose(serial, pid);
            if (choice.tie().isPresent()) {
                return new Held("profiles " + choice.tie().get() + " both match PID " + pid + ": give one of them a "
                        + "higher spec.match.priority, or set spec.profile of PnpDevice " + name, Phase.PENDING);
            }
            profileName = choice.profile();
        }
        if (profileName.isEmpty()) {
            return new Held(noProfile(name), Phase.UNCLAIMED);
        }
        return assignment(profileName.get());
    }

    /** The profile of this name as devices get it now: its images, files and login, or why it holds them. */
    public Assignment assignment(String profileName) {
        PnpProfile profile = profiles.getStore().getByKey(Keys.of(namespace, profileName));
        if (profile == null) {
            return new Held("profile " + profileName + " not found in namespace " + namespace, Phase.PENDING);
        }
        PnpProfileStatus status = profile.getStatus();
        if (status == null || !Boolean.TRUE.equals(status.ready())) {
            return new Held("profile " + profileName + " is not ready: " + PnpProfileStatus.whyNotReady(status), Phase.PENDING);
        }
        Optional<Credentials> login;
        try {
            login = Optional.ofNullable(profile.getSpec().credentialsSecret()).map(credentials::of);
        } catch (ProfileException e) {
            return new Held("profile " + profileName + ": " + e.getMessage(), Phase.PENDING);
        }
        BiFunction<Kind, String, Optional<String>> measured = (kind, file) -> artifacts(status).stream()
                .filter(a -> file.equals(a.name()) && a.md5() != null).map(PnpProfileStatus.ArtifactStatus::md5)
                .findFirst();
        // The operator measured the files when it found the profile ready; one replaced since waits for it to look
        // again, rather than routers being offered a download that fails its MD5.
        Profile workflowProfile = ProfileMapping.toWorkflow(profileName, profile.getSpec(), measured, login);
        Optional<ArtifactCatalog.Unavailable> changed = catalog.problem(profile.getSpec(), measured);
        if (changed.isPresent()) {
            return new Held("profile " + profileName + ": " + changed.get().reason(), Phase.PENDING,
                    changed.get().measuring(), Optional.of(workflowProfile));
        }
        return new Assigned(workflowProfile);
    }

    /** What devices may download: the artifacts of the ready profiles, as they are on the volume. */
    public ArtifactCatalog catalog() {
        return catalog;
    }

    /** Images and files of the ready profiles, on the artifacts volume: all that devices may download. */
    private Map<Kind, Map<String, Path>> artifacts(Path volume) {
        Map<Kind, Map<String, Path>> named = new EnumMap<>(Kind.class);
        named.put(Kind.IMAGE, new LinkedHashMap<>());
        named.put(Kind.FILE, new LinkedHashMap<>());
        for (PnpProfile profile : profiles.getStore().list()) {
            if (profile.getStatus() == null || !Boolean.TRUE.equals(profile.getStatus().ready())) {
                continue;
            }
            profile.getSpec().allImages().forEach(i -> named.get(Kind.IMAGE)
                    .put(i.file(), volume.resolve(Kind.IMAGE.folder()).resolve(i.file())));
            Optional.ofNullable(profile.getSpec().files()).orElse(List.of()).forEach(f -> named.get(Kind.FILE)
                    .put(f.name(), volume.resolve(Kind.FILE.folder()).resolve(f.name())));
        }
        return named;
    }

    /** An artifact a ready profile names, where it belongs on the volume (images/…, files/…) and its MD5. */
    public record Wanted(String path, String md5) {
    }

    /** Every artifact of the ready profiles whose MD5 the operator has measured: what a mirrored volume holds. */
    public List<Wanted> wanted() {
        List<Wanted> wanted = new java.util.ArrayList<>();
        for (PnpProfile profile : profiles.getStore().list()) {
            if (profile.getStatus() == null || !Boolean.TRUE.equals(profile.getStatus().ready())) {
                continue;
            }
            Map<String, String> md5s = new java.util.HashMap<>();
            artifacts(profile.getStatus()).stream().filter(a -> a.md5() != null && !a.md5().isEmpty())
                    .forEach(a -> md5s.put(a.name(), a.md5()));
            profile.getSpec().allImages().stream().filter(i -> md5s.containsKey(i.file())).forEach(i ->
                    wanted.add(new Wanted(Kind.IMAGE.folder() + "/" + i.file(), md5s.get(i.file()))));
            Optional.ofNullable(profile.getSpec().files()).orElse(List.of()).stream()
                    .filter(f -> md5s.containsKey(f.name()))
                    .forEach(f -> wanted.add(new Wanted(Kind.FILE.folder() + "/" + f.name(), md5s.get(f.name()))));
        }
        return wanted;
    }

    /** The profile of a device that is provisioned by one, for its day-0 config. */
    /** The PnpProfile of this name, as the informer has it. */
    public Optional<PnpProfile> named(String name) {
        return Optional.ofNullable(profiles.getStore().getByKey(Keys.of(namespace, name)));
    }

    public Optional<PnpProfile> profileOf(String serial) {
        return devices.resource(serial).flatMap(d -> Optional.ofNullable(d.getSpec().profile())
                        .or(() -> rules.choose(serial, d.getStatus() == null || d.getStatus().identity() == null
                                ? "" : d.getStatus().identity().pid()).profile()))
                .flatMap(this::named);
    }

    private static String noProfile(String name) {
        return "no profile: set spec.profile of PnpDevice " + name + " to provision it";
    }

    private static List<PnpProfileStatus.ArtifactStatus> artifacts(PnpProfileStatus status) {
        return status.artifacts() == null ? List.of() : status.artifacts();
    }
}

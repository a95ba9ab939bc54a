package io.pnpoperator.endpoint.kubernetes;

import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.pnpoperator.crds.profile.PnpProfile;
import io.pnpoperator.endpoint.protocol.PnpCodec;
import io.pnpoperator.endpoint.protocol.ProtocolException;
import io.pnpoperator.endpoint.provisioning.DeviceDialog;
import io.pnpoperator.endpoint.provisioning.InstallSlots;
import io.pnpoperator.endpoint.provisioning.ProfileSource;
import io.pnpoperator.endpoint.provisioning.Registrations;
import io.pnpoperator.endpoint.store.DeviceStore;
import io.pnpoperator.endpoint.store.MemoryDeviceStore;
import io.pnpoperator.endpoint.workflow.Contact;
import io.pnpoperator.endpoint.workflow.Device;
import io.pnpoperator.endpoint.workflow.Links;
import io.pnpoperator.endpoint.workflow.Profile;
import io.pnpoperator.endpoint.workflow.Step;
import io.pnpoperator.endpoint.workflow.Workflow;
import io.pnpoperator.sim.DeviceOptions;
import io.pnpoperator.sim.PnpAgent;
import io.pnpoperator.sim.SimulatedRouter;
import io.pnpoperator.toolkit.files.FileDigests;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dry run inside a cluster: a PnpProfile annotated {@value #ANNOTATION} with PIDs ({@code C1111-8P,C8200-1N-4T})
 * is tried on one simulated router per PID, inside this endpoint — a device dialog of its own and a store in memory,
 * so nothing reaches the fleet's PnpDevices; stand-ins for the images and files (no bytes copied; their names and
 * versions are the profile's); the day-0 config rendered as a router would get it. What each model got, or where it
 * stopped and why, is an Event on the profile (reason {@code DryRun}); each value of the annotation runs once here.
 */
public final class ProfileDryRun implements AutoCloseable {

    public static final String ANNOTATION = "pnp.pnpoperator.io/dry-run";
    private static final Logger log = LoggerFactory.getLogger(ProfileDryRun.class);
    /** Backoffs and reloads pass a million times faster: a model's whole run takes a moment. */
    private static final DeviceOptions ROUTER = DeviceOptions.defaults().withSpeed(1_000_000)
            .withParkAfter(Duration.ofMinutes(10));
    private static final String ADDRESS = "127.0.0.1";

    private final ClusterProfiles profiles;
    private final ConfigMapConfigs configs;
    private final PnpCodec codec;
    private final Workflow workflow;
    private final DeviceEvents events;
    private final Clock clock;
    private final Set<String> done = ConcurrentHashMap.newKeySet();
    private final ExecutorService runner = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "pnp-dry-run");
        t.setDaemon(true);
        return t;
    });

    public ProfileDryRun(ClusterProfiles profiles, ConfigMapConfigs configs, PnpCodec codec, Workflow workflow,
                         DeviceEvents events, Clock clock) {
        this.profiles = profiles;
        this.configs = configs;
        this.codec = codec;
        this.workflow = workflow;
        this.events = events;
        this.clock = clock;
    }

    /** Watches the profiles for the annotation. */
    public void watch(SharedIndexInformer<PnpProfile> informer) {
        informer.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(PnpProfile profile) {
                consider(profile);
            }

            @Override
            public void onUpdate(PnpProfile before, PnpProfile profile) {
                consider(profile);
            }

            @Override
            public void onDelete(PnpProfile profile, boolean finalStateUnknown) {
            }
        });
    }

    private void consider(PnpProfile profile) {
        String platforms = profile.getMetadata().getAnnotations() == null ? null
                : profile.getMetadata().getAnnotations().get(ANNOTATION);
        if (platforms == null || platforms.isBlank() || !done.add(profile.getMetadata().getUid() + "/" + platforms)) {
            return;
        }
        runner.execute(() -> {
            List<Outcome> outcomes = Arrays.stream(platforms.split(",")).map(String::strip).filter(p -> !p.isEmpty())
                    .map(pid -> tryOn(profile.getMetadata().getName(), pid)).toList();
            String report = "dry run of " + platforms + ": " + String.join("; ", outcomes.stream()
                    .map(Outcome::sentence).toList());
            log.info("profile {}: {}", profile.getMetadata().getName(), report);
            events.dryRun(profile, outcomes.stream().allMatch(Outcome::provisioned), report, clock.instant());
        });
    }

    /** What one model got: provisioned or not, and the sentence that says it. */
    record Outcome(boolean provisioned, String sentence) {
    }

    /** One simulated router of this PID through the profile, as a router of the fleet would go. */
    Outcome tryOn(String profileName, String pid) {
        ProfileSource.Assignment assignment = settled(profileName);
        if (!(assignment instanceof ProfileSource.Assigned assigned)) {
            return new Outcome(false, pid + ": not tried, " + ((ProfileSource.Held) assignment).reason());
        }
        Profile profile = standIns(assigned.profile());
        DeviceStore store = new MemoryDeviceStore();
        DeviceDialog dialog = new DeviceDialog(store, workflow, (serial, p) -> new ProfileSource.Assigned(profile),
                new Registrations(Integer.MAX_VALUE, Integer.MAX_VALUE, () -> 0),
                (p, serial, limit, now) -> new InstallSlots.Admitted());
        SimulatedRouter router = new SimulatedRouter("DRY00001", ROUTER.withPid(pid));
        try {
            new PnpAgent(new InProcess(dialog, profileName), router, ROUTER).run(clock.instant().plusSeconds(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Optional<Device> device = store.find(router.serial()).map(DeviceStore.Stored::device);
        if (device.isEmpty()) {
            return new Outcome(false, pid + ": never registered");
        }
        Device d = device.get();
        String image = router.installedImage().map(i -> "image " + i.replace("bootflash:", "") + ", running "
                + router.version()).orElse("no image installed, running " + router.version());
        if (d.step() == Step.FINISHED) {
            return new Outcome(true, pid + ": provisioned, " + image + ", " + d.progress().transitions()
                    + " transitions, day-0 config of " + router.runningConfig().lines().count() + " lines");
        }
        return new Outcome(false, pid + ": stops at " + d.step() + " (" + d.phase().label() + ")"
                + d.progress().lastError().map(e -> ": " + e).orElse("") + "; " + image);
    }

    /** The profile as routers get it, once a file being measured again (a moment's hold) is measured. */
    private ProfileSource.Assignment settled(String profileName) {
        Instant until = clock.instant().plusSeconds(60);
        ProfileSource.Assignment assignment = profiles.assignment(profileName);
        while (assignment instanceof ProfileSource.Held held && held.briefly() && clock.instant().isBefore(until)) {
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return assignment;
            }
            assignment = profiles.assignment(profileName);
        }
        return assignment;
    }

    /** The router's messages straight into the dry run's dialog; its copies from stand-ins and the config source. */
    private final class InProcess implements PnpAgent.Transport {

        private final DeviceDialog dialog;
        private final String profileName;

        InProcess(DeviceDialog dialog, String profileName) {
            this.dialog = dialog;
            this.profileName = profileName;
        }

        @Override
        public void hello() {
        }

        @Override
        public byte[] post(String path, String xml, Instant deadline) throws IOException {
            try {
                Contact contact = new Contact(ADDRESS, clock.instant(), new DryRunLinks(""));
                return codec.write(dialog.handle(codec.readDevice(xml.getBytes(StandardCharsets.UTF_8)), contact)
                        .answer());
            } catch (ProtocolException e) {
                throw new IOException(e.getMessage(), e);
            }
        }

        @Override
        public byte[] download(URI source) throws IOException {
            String[] path = source.getPath().split("/");
            if (path.length == 4 && path[1].equals("configs")) {
                String serial = path[3].replace(".cfg", "");
                if (!dialog.handOutConfig(serial, path[2], ADDRESS, clock.instant())) {
                    throw new IOException("HTTP 404");
                }
                return configs.forDevice(profiles.named(profileName), serial, Map.of()).orElse(new byte[0]);
            }
            return standIn(path[path.length - 1]);
        }
    }

    /** Where the dry run's router copies from: nowhere but this class. */
    private record DryRunLinks(String secret) implements Links {

        @Override
        public URI image(String file) {
            return URI.create("http://dry-run/images/" + file);
        }

        @Override
        public URI file(String name) {
            return URI.create("http://dry-run/files/" + name);
        }

        @Override
        public URI config(String serial) {
            return URI.create("http://dry-run/configs/" + secret + "/" + serial + ".cfg");
        }

        @Override
        public Links withConfigSecret(String newSecret) {
            return new DryRunLinks(newSecret);
        }
    }

    /** The profile with a stand-in's MD5 for every image and file: the router checks what it is given. */
    private static Profile standIns(Profile p) {
        return new Profile(p.name(), p.configRegister(), p.image().map(ProfileDryRun::standIn), p.config(),
                p.guestshell().map(g -> new Profile.Guestshell(g.packageFile().map(ProfileDryRun::standIn),
                        g.script().map(ProfileDryRun::standIn), g.eemApplet(), g.minFreeBytes(), g.startTimeout())),
                p.credentials(), p.proveIdentity(), p.images().stream().map(i -> new Profile.ForPlatforms(
                        i.platforms(), standIn(i.image()))).toList(), p.reappeared(), p.rollout());
    }

    private static Profile.Image standIn(Profile.Image image) {
        return new Profile.Image(image.file(), image.version(), FileDigests.md5(standIn(image.file())), image.reload());
    }

    private static Profile.Artifact standIn(Profile.Artifact artifact) {
        return new Profile.Artifact(artifact.name(), artifact.destination(),
                artifact.md5().map(m -> FileDigests.md5(standIn(artifact.name()))));
    }

    /** What a router copies in the dry run in place of the file of this name. */
    private static byte[] standIn(String name) {
        return ("dry-run stand-in for " + name).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        runner.shutdownNow();
    }
}

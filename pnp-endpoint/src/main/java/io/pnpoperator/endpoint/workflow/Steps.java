package io.pnpoperator.endpoint.workflow;

import static io.pnpoperator.endpoint.workflow.Outcome.advance;
import static io.pnpoperator.endpoint.workflow.Outcome.pass;
import static io.pnpoperator.endpoint.workflow.Outcome.setback;

import io.pnpoperator.endpoint.protocol.Report;
import io.pnpoperator.endpoint.protocol.Work;
import io.pnpoperator.endpoint.workflow.Rule.Reading;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The ISR1k workflow as a table: one row per step, in workflow order. docs/workflow.md's table says the
 * same in words: keep them together.
 */
final class Steps {

    static final Duration EXEC_WAIT = Duration.ofSeconds(60);
    static final String BOOTFLASH = "bootflash";
    /** The reload an image install or a reload request asks for: at once, the running configuration saved. */
    static final Duration RELOAD_DELAY = Duration.ZERO;

    /** {@code verify /md5 bootflash:x} ends with {@code verify /md5 (bootflash:x) = <32 hex digits>}. */
    private static final Pattern MD5_OUTPUT = Pattern.compile("=\\s*([0-9a-fA-F]{32})\\b");

    private static final Predicate<Profile> ALWAYS = p -> true;
    private static final Predicate<Profile> CONFIG_REGISTER = p -> p.configRegister().isPresent();
    private static final Predicate<Profile> IMAGE = p -> p.image().isPresent();
    private static final Predicate<Profile> CONFIG = Profile::config;
    private static final Predicate<Profile> GUESTSHELL = p -> p.guestshell().isPresent();
    private static final Function<Profile, Optional<Profile.Artifact>> PACKAGE_FILE =
            p -> p.guestshell().flatMap(Profile.Guestshell::packageFile);
    private static final Function<Profile, Optional<Profile.Artifact>> SCRIPT_FILE =
            p -> p.guestshell().flatMap(Profile.Guestshell::script);
    private static final Predicate<Profile> PACKAGE = p -> PACKAGE_FILE.apply(p).isPresent();
    private static final Predicate<Profile> SCRIPT = p -> SCRIPT_FILE.apply(p).isPresent();
    private static final Predicate<Profile> BOOTFLASH_CHECK = p -> p.guestshell().filter(g -> g.minFreeBytes() > 0)
            .isPresent();
    private static final Predicate<Profile> EEM = p -> p.guestshell().flatMap(g -> g.eemApplet()).isPresent();

    private static final Map<Step, Rule> TABLE = new EnumMap<>(Step.class);

    static {
        row(Step.NEW_DEVICE, CONFIG_REGISTER,
                (p, t, d, l) -> new Work.CliConfig(List.of("config-register " + p.configRegister().orElseThrow())),
                Steps::configLinesApplied);
        row(Step.CONFIG_REG, CONFIG_REGISTER, (p, t, d, l) -> exec("write memory"), Steps::next);
        row(Step.CHECK_IMAGE_VER, ALWAYS, (p, t, d, l) -> new Work.DeviceInfo("all"), Steps::imageVersion);
        table(new Rule(Step.UPGRADE_NEEDED, IMAGE, Optional.of(Steps::imageInstall),
                r -> advance(r.device(), Step.UPGRADE_RELOAD_NEEDED), Optional.of(Step.UPGRADE_INPROGRESS)));
        row(Step.UPGRADE_INPROGRESS, IMAGE, Steps::imageInstall, r -> advance(r.device(), Step.UPGRADE_RELOAD_NEEDED));
        row(Step.UPGRADE_RELOAD_NEEDED, IMAGE, Steps::reloadIntoImage, r -> pass(r.device(), Step.UPGRADE_RELOADING));
        row(Step.UPGRADE_RELOADING, IMAGE, (p, t, d, l) -> new Work.DeviceInfo("all"), Steps::upgradeVerified);
        table(new Rule(Step.UPGRADE_DONE, ALWAYS, Optional.empty(), Steps::next, Optional.empty()));
        row(Step.GS_TARBALL_TRANSFER, PACKAGE, (p, t, d, l) -> transfer(PACKAGE_FILE.apply(p).orElseThrow(), l),
                r -> copied(r, PACKAGE_FILE));
        row(Step.GS_TARBALL_VERIFY, verifiable(PACKAGE_FILE), (p, t, d, l) -> verify(PACKAGE_FILE.apply(p)),
                r -> copyVerified(r, PACKAGE_FILE, Step.GS_TARBALL_TRANSFER));
        row(Step.PY_SCRIPT_TRANSFER, SCRIPT, (p, t, d, l) -> transfer(SCRIPT_FILE.apply(p).orElseThrow(), l),
                r -> copied(r, SCRIPT_FILE));
        row(Step.PY_SCRIPT_VERIFY, verifiable(SCRIPT_FILE), (p, t, d, l) -> verify(SCRIPT_FILE.apply(p)),
                r -> copyVerified(r, SCRIPT_FILE, Step.PY_SCRIPT_TRANSFER));
        row(Step.CONFIG_START, CONFIG,
                (p, t, d, l) -> new Work.ConfigUpgrade(l.config(d.serial())),
                r -> advance(r.device().with(r.device().observed().withConfigApplied()), Step.CONFIG_SAVE_STARTUP));
        row(Step.CONFIG_SAVE_STARTUP, CONFIG, (p, t, d, l) -> exec("write memory"), Steps::next);
        row(Step.CHECK_BOOTFLASH_SIZE, BOOTFLASH_CHECK, (p, t, d, l) -> new Work.DeviceInfo("all"),
                Steps::bootflashChecked);
        row(Step.BOOTFLASH_NO_SPACE, BOOTFLASH_CHECK, (p, t, d, l) -> new Work.Backoff("bootflash has "
                        + d.observed().bootflashFree().orElse(0) + " bytes free, needs "
                        + p.guestshell().orElseThrow().minFreeBytes()
                        + "; free space, then move the device to RUN_EVENT_MANAGER", t.blocked()),
                r -> pass(r.device(), Step.BOOTFLASH_NO_SPACE));
        row(Step.RUN_EVENT_MANAGER, EEM,
                (p, t, d, l) -> exec("event manager run " + p.guestshell().orElseThrow().eemApplet().orElseThrow()),
                r -> advance(waitingFor(r), Step.WAIT_FOR_GUESTSHELL));
        row(Step.WAIT_FOR_GUESTSHELL, GUESTSHELL, (p, t, d, l) -> new Work.Backoff("waiting for guestshell",
                t.guestshell()), r -> pass(r.device(), Step.CHECK_GUESTSHELL));
        row(Step.CHECK_GUESTSHELL, GUESTSHELL, (p, t, d, l) -> exec("show app-hosting list"), Steps::guestshellChecked);
        row(Step.ENABLE_GUESTSHELL, GUESTSHELL, (p, t, d, l) -> exec("guestshell enable"),
                r -> pass(waitingFor(r), Step.WAIT_FOR_GUESTSHELL));
        row(Step.INSTALL_GUESTSHELL, PACKAGE, (p, t, d, l) -> exec("app-hosting install appid "
                        + GuestshellState.APP + " package " + PACKAGE_FILE.apply(p).orElseThrow().devicePath()),
                r -> pass(waitingFor(r), Step.WAIT_FOR_GUESTSHELL));
        row(Step.RUN_PY_SCRIPT, SCRIPT, (p, t, d, l) -> exec("guestshell run python3 "
                        + SCRIPT_FILE.apply(p).orElseThrow().devicePath()),
                r -> advance(r.device().with(r.device().observed().withScriptRan()), Step.FINISHED));
        row(Step.FINISHED, ALWAYS, (p, t, d, l) -> new Work.Backoff("provisioned", t.finished()),
                r -> pass(r.device(), Step.FINISHED));
        if (TABLE.size() != Step.values().length) {
            throw new IllegalStateException("every step needs a row in the workflow table");
        }
    }

    private Steps() {
    }

    static Rule rule(Step step) {
        return TABLE.get(step);
    }

    /**
     * Whether handing out this step's request may go unstored when it is implied (see {@link Device#onlyHandedOut}):
     * not in the image steps (a request awaited there keeps people's moves away), not where sending the request is
     * itself a transition, not for the day-0 config (its one-time URL is stored).
     */
    static boolean requestMayGoUnstored(Step step) {
        return !StepMoves.IMAGE_IN_FLIGHT.contains(step) && rule(step).onSend().isEmpty() && step != Step.CONFIG_START
                && rule(step).request().isPresent();
    }

    /** The first step from {@code step} on that the profile switches on. */
    static Step firstActive(Step step, Profile profile) {
        Step at = step;
        while (!rule(at).active().test(profile)) {
            at = at.following();
        }
        return at;
    }

    private static void row(Step step, Predicate<Profile> active, Rule.Request request, Rule.Reader read) {
        table(new Rule(step, active, Optional.of(request), read, Optional.empty()));
    }

    private static void table(Rule rule) {
        TABLE.put(rule.step(), rule);
    }

    private static Work exec(String command) {
        return new Work.CliExec(command, EXEC_WAIT);
    }

    private static Work transfer(Profile.Artifact artifact, Links links) {
        return new Work.FileTransfer(links.file(artifact.name()), artifact.devicePath());
    }

    /** A copied file is checked on the router when its MD5 is known (the file-transfer service has no checksum). */
    private static Predicate<Profile> verifiable(Function<Profile, Optional<Profile.Artifact>> artifact) {
        return p -> artifact.apply(p).flatMap(Profile.Artifact::md5).isPresent();
    }

    /**
     * A copy made: with an MD5 to check, it is progress only once verified, so a copy that keeps arriving damaged
     * uses up its attempts instead of starting them again at each new copy.
     */
    private static Outcome copied(Reading r, Function<Profile, Optional<Profile.Artifact>> artifact) {
        Step following = r.device().step().following();
        return verifiable(artifact).test(r.profile()) ? pass(r.device(), following) : advance(r.device(), following);
    }

    private static Work verify(Optional<Profile.Artifact> artifact) {
        return exec("verify /md5 " + artifact.orElseThrow().devicePath());
    }

    private static Outcome copyVerified(Reading r, Function<Profile, Optional<Profile.Artifact>> artifact,
                                        Step copyAgain) {
        Profile.Artifact file = artifact.apply(r.profile()).orElseThrow();
        String expected = file.md5().orElseThrow();
        Matcher md5 = MD5_OUTPUT.matcher(output(r));
        if (!md5.find()) {
            return setback(r.device(), copyAgain, "verify /md5 " + file.devicePath() + " printed no MD5: "
                    + output(r).trim());
        }
        if (!md5.group(1).equalsIgnoreCase(expected)) {
            return setback(r.device(), copyAgain, file.devicePath() + " has MD5 " + md5.group(1).toLowerCase()
                    + ", expected " + expected + ": copying it again");
        }
        return next(r);
    }

    private static Work imageInstall(Profile profile, Timings timings, Device device, Links links) {
        Profile.Image image = profile.image().orElseThrow();
        return new Work.ImageInstall(links.image(image.file()), image.md5(), BOOTFLASH + ":" + image.file(),
                image.reload() ? Optional.of(reload(image)) : Optional.empty());
    }

    /** With the reload in the install, the device is only told to wait; without, it is asked to reload now. */
    private static Work reloadIntoImage(Profile profile, Timings timings, Device device, Links links) {
        Profile.Image image = profile.image().orElseThrow();
        return image.reload() ? new Work.Backoff("reloading into " + image.version(), timings.reload()) : reload(image);
    }

    private static Work.Reload reload(Profile.Image image) {
        return new Work.Reload("pnp-operator: boot " + image.file(), RELOAD_DELAY, true);
    }

    private static Outcome next(Reading r) {
        return advance(r.device(), r.device().step().following());
    }

    private static Outcome configLinesApplied(Reading r) {
        if (r.response().report() instanceof Report.ConfigResult result) {
            for (Report.ConfigResult.Line line : result.lines()) {
                if (!line.success()) {
                    return setback(r.device(), r.device().step(), "line " + line.number() + " '" + line.command()
                            + "' failed: " + line.error());
                }
            }
        }
        return next(r);
    }

    private static Outcome imageVersion(Reading r) {
        Device device = recordDeviceInfo(r);
        Optional<String> running = runningVersion(r);
        if (running.isEmpty()) {
            return setback(device, device.step(), noVersion(r));
        }
        boolean onTarget = r.profile().image().map(i -> Versions.same(i.version(), running.get())).orElse(true);
        return advance(device, onTarget ? Step.UPGRADE_DONE : Step.UPGRADE_NEEDED);
    }

    private static Outcome upgradeVerified(Reading r) {
        Device device = recordDeviceInfo(r);
        Optional<String> running = runningVersion(r);
        String target = r.profile().image().orElseThrow().version();
        if (running.isEmpty()) {
            return setback(device, device.step(), noVersion(r));
        }
        if (Versions.same(target, running.get())) {
            return advance(device, Step.UPGRADE_DONE);
        }
        return setback(device, device.step(), "device runs " + running.get() + " after the image install, expected "
                + target);
    }

    private static String noVersion(Reading r) {
        String received = deviceInfo(r).map(Report.DeviceInfo::versionString).orElse("");
        return received.isBlank() ? "device-info carried no versionString"
                : "device-info versionString '" + received + "' names no IOS-XE version";
    }

    private static Outcome bootflashChecked(Reading r) {
        Device device = recordDeviceInfo(r);
        Optional<Report.FileSystem> bootflash = deviceInfo(r).flatMap(i -> i.fileSystem(BOOTFLASH));
        if (bootflash.isEmpty()) {
            return setback(device, device.step(), "device-info listed no bootflash file system");
        }
        long needed = r.profile().guestshell().orElseThrow().minFreeBytes();
        return advance(device, bootflash.get().freeSpace() >= needed ? Step.RUN_EVENT_MANAGER : Step.BOOTFLASH_NO_SPACE);
    }

    /** The device now waits for the guestshell command it just ran; its start-up budget counts from now. */
    private static Device waitingFor(Reading r) {
        Device.Progress progress = r.device().progress();
        return r.device().with(progress.waitingFor(Optional.of(new Device.Waiting(r.device().step(), r.now()))));
    }

    /**
     * Reads {@code show app-hosting list}. RUNNING moves on. After a command that starts the guestshell in the
     * background (the EEM applet, an enable, an install), every other answer is progress until the start-up budget
     * since that command runs out: no row yet (the applet's own wait, an install under way), DEPLOYED, ACTIVATED.
     * Only then is an attempt counted and the guestshell installed or enabled again. Without such a command in
     * flight, no guestshell is installed (with a package) or enabled at once; STOPPED, or DEPLOYED where an install
     * ends, is enabled.
     */
    private static Outcome guestshellChecked(Reading r) {
        GuestshellState state = GuestshellState.parse(output(r));
        Device device = r.device().with(r.device().observed().withGuestshell(state.state()));
        Optional<Device.Waiting> waiting = device.progress().waiting();
        Duration budget = r.profile().guestshell().orElseThrow().startTimeout();
        boolean withinBudget = waiting.filter(w -> r.now().isBefore(w.since().plus(budget))).isPresent();
        Step install = PACKAGE.test(r.profile()) ? Step.INSTALL_GUESTSHELL : Step.ENABLE_GUESTSHELL;
        String late = "guestshell is " + state.state() + " " + budget.toMinutes() + " min after "
                + waiting.map(w -> w.command().name()).orElse("") + ": trying again";
        boolean enableNow = state.state().equals("STOPPED") || state.state().equals("DEPLOYED")
                && waiting.filter(w -> w.command() == Step.INSTALL_GUESTSHELL).isPresent();
        return switch (state.kind()) {
            case RUNNING -> advance(device.with(device.progress().waitingFor(Optional.empty())), Step.RUN_PY_SCRIPT);
            case UNREADABLE -> setback(device, Step.WAIT_FOR_GUESTSHELL, "show app-hosting list printed no app table: "
                    + output(r).trim());
            case ABSENT -> waiting.isEmpty() ? pass(device, install)
                    : withinBudget ? pass(device, Step.WAIT_FOR_GUESTSHELL) : setback(device, install, late);
            case PRESENT -> waiting.isEmpty() || enableNow ? pass(device, Step.ENABLE_GUESTSHELL)
                    : withinBudget ? pass(device, Step.WAIT_FOR_GUESTSHELL) : setback(device, Step.ENABLE_GUESTSHELL, late);
        };
    }

    private static Optional<String> runningVersion(Reading r) {
        return deviceInfo(r).flatMap(Report.DeviceInfo::runningVersion);
    }

    /** Records version, image, platform and bootflash space. */
    private static Device recordDeviceInfo(Reading r) {
        Device device = r.device();
        Optional<Report.DeviceInfo> info = deviceInfo(r);
        if (info.isEmpty()) {
            return device;
        }
        Device.Observation observed = device.observed().running(info.get().runningVersion(), info.get().imageFile());
        Optional<Report.FileSystem> bootflash = info.get().fileSystem(BOOTFLASH);
        if (bootflash.isPresent()) {
            observed = observed.withBootflashFree(bootflash.get().freeSpace());
        }
        return device.with(device.identity().onPlatform(info.get().platformName())).with(observed);
    }

    private static Optional<Report.DeviceInfo> deviceInfo(Reading r) {
        return r.response().report() instanceof Report.DeviceInfo info ? Optional.of(info) : Optional.empty();
    }

    private static String output(Reading r) {
        return r.response().report() instanceof Report.ExecOutput exec ? exec.text() : "";
    }
}

package io.pnpoperator.endpoint.workflow;

import static io.pnpoperator.endpoint.workflow.Outcome.advance;
import static io.pnpoperator.endpoint.workflow.Outcome.pass;
import static io.pnpoperator.endpoint.workflow.Outcome.setback;

import io.pnpoperator.endpoint.protocol.Report;
import io.pnpoperator.endpoint.protocol.Work;
import io.pnpoperator.endpoint.protocol.WorkResponse;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/** The ISR1k workflow of ../shared/pnp/PROTOCOL.md as a table: one row per step, in workflow order. */
final class Steps {

    static final Duration EXEC_WAIT = Duration.ofSeconds(60);
    static final String BOOTFLASH = "bootflash";

    private static final Predicate<Profile> ALWAYS = p -> true;
    private static final Predicate<Profile> CONFIG_REGISTER = p -> p.configRegister().isPresent();
    private static final Predicate<Profile> IMAGE = p -> p.image().isPresent();
    private static final Predicate<Profile> CONFIG = Profile::config;
    private static final Predicate<Profile> GUESTSHELL = p -> p.guestshell().isPresent();
    private static final Predicate<Profile> PACKAGE = p -> p.guestshell().flatMap(g -> g.packageFile()).isPresent();
    private static final Predicate<Profile> SCRIPT = p -> p.guestshell().flatMap(g -> g.script()).isPresent();
    private static final Predicate<Profile> BOOTFLASH_CHECK = p -> p.guestshell().filter(g -> g.minFreeBytes() > 0)
            .isPresent();
    private static final Predicate<Profile> EEM = p -> p.guestshell().flatMap(g -> g.eemApplet()).isPresent();

    private static final Map<Step, Rule> TABLE = new EnumMap<>(Step.class);

    static {
        row(Step.NEW_DEVICE, CONFIG_REGISTER,
                (p, t, d, l) -> new Work.CliConfig(java.util.List.of("config-register " + p.configRegister().orElseThrow())),
                Steps::configLinesApplied);
        row(Step.CONFIG_REG, CONFIG_REGISTER, (p, t, d, l) -> exec("write memory"), Steps::next);
        row(Step.CHECK_IMAGE_VER, ALWAYS, (p, t, d, l) -> new Work.DeviceInfo("all"), Steps::imageVersion);
        table(new Rule(Step.UPGRADE_NEEDED, IMAGE, Optional.of(Steps::imageInstall),
                (p, r, d) -> advance(Step.UPGRADE_RELOAD_NEEDED), Optional.of(Step.UPGRADE_INPROGRESS)));
        row(Step.UPGRADE_INPROGRESS, IMAGE, Steps::imageInstall, (p, r, d) -> advance(Step.UPGRADE_RELOAD_NEEDED));
        row(Step.UPGRADE_RELOAD_NEEDED, IMAGE,
                (p, t, d, l) -> new Work.Backoff("reloading into " + p.image().orElseThrow().version(), t.reload()),
                (p, r, d) -> pass(Step.UPGRADE_RELOADING));
        row(Step.UPGRADE_RELOADING, IMAGE, (p, t, d, l) -> new Work.DeviceInfo("all"), Steps::upgradeVerified);
        table(new Rule(Step.UPGRADE_DONE, ALWAYS, Optional.empty(), Steps::next, Optional.empty()));
        row(Step.GS_TARBALL_TRANSFER, PACKAGE,
                (p, t, d, l) -> transfer(p.guestshell().orElseThrow().packageFile().orElseThrow(), l), Steps::next);
        row(Step.PY_SCRIPT_TRANSFER, SCRIPT,
                (p, t, d, l) -> transfer(p.guestshell().orElseThrow().script().orElseThrow(), l), Steps::next);
        row(Step.CONFIG_START, CONFIG,
                (p, t, d, l) -> new Work.ConfigUpgrade(l.config(d.serial(), d.configToken().orElseThrow())),
                (p, r, d) -> {
                    d.configApplied();
                    return advance(Step.CONFIG_SAVE_STARTUP);
                });
        row(Step.CONFIG_SAVE_STARTUP, CONFIG, (p, t, d, l) -> exec("write memory"), Steps::next);
        row(Step.CHECK_BOOTFLASH_SIZE, BOOTFLASH_CHECK, (p, t, d, l) -> new Work.DeviceInfo("all"),
                Steps::bootflashChecked);
        row(Step.BOOTFLASH_NO_SPACE, BOOTFLASH_CHECK, (p, t, d, l) -> new Work.Backoff("bootflash has "
                        + d.bootflashFree().orElse(0) + " bytes free, needs " + p.guestshell().orElseThrow().minFreeBytes()
                        + "; free space, then move the device to RUN_EVENT_MANAGER", t.blocked()),
                (p, r, d) -> pass(Step.BOOTFLASH_NO_SPACE));
        row(Step.RUN_EVENT_MANAGER, EEM,
                (p, t, d, l) -> exec("event manager run " + p.guestshell().orElseThrow().eemApplet().orElseThrow()),
                (p, r, d) -> advance(Step.WAIT_FOR_GUESTSHELL));
        row(Step.WAIT_FOR_GUESTSHELL, GUESTSHELL, (p, t, d, l) -> new Work.Backoff("waiting for guestshell",
                t.guestshell()), (p, r, d) -> pass(Step.CHECK_GUESTSHELL));
        row(Step.CHECK_GUESTSHELL, GUESTSHELL, (p, t, d, l) -> exec("show app-hosting list"), Steps::guestshellChecked);
        row(Step.ENABLE_GUESTSHELL, GUESTSHELL, (p, t, d, l) -> exec("guestshell enable"),
                (p, r, d) -> pass(Step.WAIT_FOR_GUESTSHELL));
        row(Step.INSTALL_GUESTSHELL, PACKAGE, (p, t, d, l) -> exec("app-hosting install appid guestshell package "
                        + p.guestshell().orElseThrow().packageFile().orElseThrow().devicePath()),
                (p, r, d) -> pass(Step.WAIT_FOR_GUESTSHELL));
        row(Step.RUN_PY_SCRIPT, SCRIPT, (p, t, d, l) -> exec("guestshell run python3 "
                        + p.guestshell().orElseThrow().script().orElseThrow().devicePath()),
                (p, r, d) -> {
                    d.scriptRan();
                    return advance(Step.FINISHED);
                });
        row(Step.FINISHED, ALWAYS, (p, t, d, l) -> new Work.Backoff("provisioned", t.finished()),
                (p, r, d) -> pass(Step.FINISHED));
        if (TABLE.size() != Step.values().length) {
            throw new IllegalStateException("every step needs a row in the workflow table");
        }
    }

    private Steps() {
    }

    static Rule rule(Step step) {
        return TABLE.get(step);
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
        return new Work.FileTransfer(links.file(artifact.name()), artifact.md5(), artifact.devicePath());
    }

    private static Work imageInstall(Profile profile, Timings timings, Device device, Links links) {
        Profile.Image image = profile.image().orElseThrow();
        return new Work.ImageInstall(links.image(image.file()), image.md5(), BOOTFLASH + ":" + image.file());
    }

    private static Outcome next(Profile profile, WorkResponse response, Device.Builder device) {
        return advance(device.step().following());
    }

    private static Outcome configLinesApplied(Profile profile, WorkResponse response, Device.Builder device) {
        if (response.report() instanceof Report.ConfigResult result) {
            for (Report.ConfigResult.Line line : result.lines()) {
                if (!line.success()) {
                    return setback(device.step(), "line " + line.number() + " '" + line.command() + "' failed: "
                            + line.error());
                }
            }
        }
        return next(profile, response, device);
    }

    private static Outcome imageVersion(Profile profile, WorkResponse response, Device.Builder device) {
        Optional<String> running = recordDeviceInfo(response, device);
        if (running.isEmpty()) {
            return setback(device.step(), "device-info carried no running version");
        }
        boolean onTarget = profile.image().map(i -> Versions.same(i.version(), running.get())).orElse(true);
        return advance(onTarget ? Step.UPGRADE_DONE : Step.UPGRADE_NEEDED);
    }

    private static Outcome upgradeVerified(Profile profile, WorkResponse response, Device.Builder device) {
        Optional<String> running = recordDeviceInfo(response, device);
        String target = profile.image().orElseThrow().version();
        if (running.isPresent() && Versions.same(target, running.get())) {
            return advance(Step.UPGRADE_DONE);
        }
        return setback(device.step(), "device runs " + running.orElse("an unknown version")
                + " after the image install, expected " + target);
    }

    private static Outcome bootflashChecked(Profile profile, WorkResponse response, Device.Builder device) {
        recordDeviceInfo(response, device);
        Optional<Report.FileSystem> bootflash = deviceInfo(response).flatMap(i -> i.fileSystem(BOOTFLASH));
        if (bootflash.isEmpty()) {
            return setback(device.step(), "device-info listed no bootflash file system");
        }
        long needed = profile.guestshell().orElseThrow().minFreeBytes();
        return advance(bootflash.get().freeSpace() >= needed ? Step.RUN_EVENT_MANAGER : Step.BOOTFLASH_NO_SPACE);
    }

    private static Outcome guestshellChecked(Profile profile, WorkResponse response, Device.Builder device) {
        String output = response.report() instanceof Report.ExecOutput exec ? exec.text() : "";
        String state = GuestshellState.parse(output);
        device.guestshell(state);
        boolean hasPackage = PACKAGE.test(profile);
        return switch (state) {
            case GuestshellState.RUNNING -> advance(Step.RUN_PY_SCRIPT);
            case GuestshellState.NOT_INSTALLED -> setback(hasPackage ? Step.INSTALL_GUESTSHELL : Step.ENABLE_GUESTSHELL,
                    "guestshell is not installed");
            case GuestshellState.UNKNOWN -> setback(Step.WAIT_FOR_GUESTSHELL, "guestshell state unknown: " + output.trim());
            default -> setback(Step.ENABLE_GUESTSHELL, "guestshell is " + state);
        };
    }

    /** Records version, image, platform and bootflash space; returns the running version. */
    private static Optional<String> recordDeviceInfo(WorkResponse response, Device.Builder device) {
        Optional<Report.DeviceInfo> info = deviceInfo(response);
        info.ifPresent(i -> {
            device.platform(i.platformName()).running(i.runningVersion(), i.imageFile());
            i.fileSystem(BOOTFLASH).ifPresent(fs -> device.bootflashFree(fs.freeSpace()));
        });
        return info.flatMap(Report.DeviceInfo::runningVersion);
    }

    private static Optional<Report.DeviceInfo> deviceInfo(WorkResponse response) {
        return response.report() instanceof Report.DeviceInfo info ? Optional.of(info) : Optional.empty();
    }
}

package io.pnpoperator.endpoint.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import io.pnpoperator.endpoint.protocol.DeviceError;
import io.pnpoperator.endpoint.protocol.Report;
import io.pnpoperator.endpoint.protocol.Service;
import io.pnpoperator.endpoint.protocol.ServerMessage;
import io.pnpoperator.endpoint.protocol.Udi;
import io.pnpoperator.endpoint.protocol.Work;
import io.pnpoperator.endpoint.protocol.WorkRequest;
import io.pnpoperator.endpoint.protocol.WorkResponse;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class WorkflowTest {

    static final Udi UDI = new Udi("C1131-8PWB", "V01", "FGL2548L0AW");
    static final Profile.Artifact PACKAGE = new Profile.Artifact("guestshell.17.09.01a.tar", "bootflash:",
            Optional.of("0123456789abcdef0123456789abcdef"));
    static final Profile.Artifact SCRIPT = new Profile.Artifact("pxs.py", "bootflash:guest-share/", Optional.empty());
    static final Profile FULL = new Profile("isr1k", Optional.of("0x2102"),
            Optional.of(new Profile.Image("c1100-universalk9.17.14.01a.SPA.bin", "17.14.01a",
                    "4b2a2e5a9d6f4f9d8e0c2b1a7f3e6d5c")), true,
            Optional.of(new Profile.Guestshell(Optional.of(PACKAGE), Optional.of(SCRIPT), Optional.of("InstallGuestShell"),
                    1026107392L)));
    static final Links LINKS = new Links() {
        public URI image(String file) {
            return URI.create("http://pnp.lab/images/" + file);
        }

        public URI file(String name) {
            return URI.create("http://pnp.lab/files/" + name);
        }

        public URI config(String serial, String token) {
            return URI.create("http://pnp.lab/configs/" + token + "/" + serial + ".cfg");
        }
    };
    static final Timings TIMINGS = new Timings(3, Duration.ofSeconds(60), Duration.ofMinutes(5), Duration.ofMinutes(1),
            Duration.ofMinutes(10), Duration.ofHours(1), Duration.ofHours(24));

    Profile profile = FULL;
    Workflow workflow = new Workflow(TIMINGS, () -> "tok3n");
    Instant now = Instant.parse("2026-11-24T08:00:00Z");
    int exchanges;

    // --- the whole workflow

    @Test
    void blankRouterIsWalkedThroughEveryStepToFinished() {
        Device d = newDevice();
        d = expect(d, Service.CLI_CONFIG, "config-register 0x2102", ok(), Step.CONFIG_REG);
        d = expect(d, Service.CLI_EXEC, "write memory", output("[OK]"), Step.CHECK_IMAGE_VER);
        d = expect(d, Service.DEVICE_INFO, "all", info("17.06.01a", 7_000_000_000L), Step.UPGRADE_NEEDED);
        d = expect(d, Service.IMAGE_INSTALL, "http://pnp.lab/images/c1100-universalk9.17.14.01a.SPA.bin", ok(),
                Step.UPGRADE_RELOAD_NEEDED);
        d = expect(d, Service.BACKOFF, "reloading into 17.14.01a", ok(), Step.UPGRADE_RELOADING);
        d = expect(d, Service.DEVICE_INFO, "all", info("17.14.01a", 6_000_000_000L), Step.UPGRADE_DONE);
        d = expect(d, Service.FILE_TRANSFER, "bootflash:guestshell.17.09.01a.tar", ok(), Step.PY_SCRIPT_TRANSFER);
        d = expect(d, Service.FILE_TRANSFER, "bootflash:guest-share/pxs.py", ok(), Step.CONFIG_START);
        d = expect(d, Service.CONFIG_UPGRADE, "http://pnp.lab/configs/tok3n/FGL2548L0AW.cfg", ok(),
                Step.CONFIG_SAVE_STARTUP);
        d = expect(d, Service.CLI_EXEC, "write memory", output("[OK]"), Step.CHECK_BOOTFLASH_SIZE);
        d = expect(d, Service.DEVICE_INFO, "all", info("17.14.01a", 2_000_000_000L), Step.RUN_EVENT_MANAGER);
        d = expect(d, Service.CLI_EXEC, "event manager run InstallGuestShell", output(""), Step.WAIT_FOR_GUESTSHELL);
        d = expect(d, Service.BACKOFF, "waiting for guestshell", ok(), Step.CHECK_GUESTSHELL);
        d = expect(d, Service.CLI_EXEC, "show app-hosting list", output(appList("RUNNING")), Step.RUN_PY_SCRIPT);
        d = expect(d, Service.CLI_EXEC, "guestshell run python3 bootflash:guest-share/pxs.py", output("done"),
                Step.FINISHED);

        assertThat(d.phase()).isEqualTo(Phase.PROVISIONED);
        assertThat(d.finishedAt()).isPresent();
        assertThat(d.configApplied()).isTrue();
        assertThat(d.scriptRan()).isTrue();
        assertThat(d.guestshell()).contains("RUNNING");
        assertThat(d.version()).contains("17.14.01a");
        assertThat(d.sequence()).as("15 steps answered, 2 entered on request").isEqualTo(17);
        assertThat(d.configToken()).as("the config URL dies once the config is applied").isEmpty();
        Work finished = workOf(ask(d, "c-last"));
        assertThat(finished).isEqualTo(new Work.Backoff("provisioned", Duration.ofHours(24)));
    }

    @Test
    void imageInstallMovesToInProgressWhenSentAndCarriesTheMd5() {
        Device d = at(Step.UPGRADE_NEEDED);
        Decision sent = ask(d, "c-7");
        assertThat(workOf(sent)).isEqualTo(new Work.ImageInstall(
                URI.create("http://pnp.lab/images/c1100-universalk9.17.14.01a.SPA.bin"),
                "4b2a2e5a9d6f4f9d8e0c2b1a7f3e6d5c", "bootflash:c1100-universalk9.17.14.01a.SPA.bin"));
        assertThat(sent.change().device().step()).isEqualTo(Step.UPGRADE_INPROGRESS);
        assertThat(sent.change().transitions()).extracting(Transition::to).containsExactly(Step.UPGRADE_INPROGRESS);
    }

    @Test
    void deviceAlreadyOnTheTargetVersionSkipsTheUpgrade() {
        Device d = at(Step.CHECK_IMAGE_VER);
        d = expect(d, Service.DEVICE_INFO, "all", info("17.14.1a", 7_000_000_000L), Step.UPGRADE_DONE);
        assertThat(workOf(ask(d, "c-9"))).isInstanceOf(Work.FileTransfer.class);
    }

    @Test
    void upgradeIsDecidedByVersionNotByImageFileName() {
        Device d = apply(ask(at(Step.CHECK_IMAGE_VER), "c-1"));
        WorkResponse installMode = response(d, Service.DEVICE_INFO, new Report.DeviceInfo(
                "Cisco IOS XE Software, Version 17.14.01a", "bootflash:packages.conf", "0x2102", "C1131-8PWB",
                "FGL2548L0AW", List.of()));
        assertThat(workflow.onWorkResponse(profile, d, installMode, contact()).change().device().step())
                .isEqualTo(Step.UPGRADE_DONE);
    }

    @Test
    void deviceStillOnTheOldVersionAfterReloadIsCheckedAgainThenFailed() {
        Device d = at(Step.UPGRADE_RELOADING);
        Decision first = respond(d, Service.DEVICE_INFO, info("17.06.01a", 1L));
        assertThat(first.change().device().step()).isEqualTo(Step.UPGRADE_RELOADING);
        assertThat(first.change().device().lastError())
                .contains("device runs 17.06.01a after the image install, expected 17.14.01a");
        assertThat(workOf(first)).isInstanceOf(Work.Backoff.class);
    }

    // --- bootflash, picked by name among several file systems

    @Test
    void lowBootflashBlocksTheDeviceUntilAPersonMovesIt() {
        Device d = apply(ask(at(Step.CHECK_BOOTFLASH_SIZE), "c-1"));
        WorkResponse fixtureLike = response(d, Service.DEVICE_INFO, new Report.DeviceInfo("Version 17.14.01a", "", "",
                "", "", List.of(new Report.FileSystem("nvram", "nvram", 33554432L, 33548287L),
                new Report.FileSystem("bootflash", "disk", 7194652672L, 612368384L),
                new Report.FileSystem("usb0", "disk", 8_000_000_000L, 8_000_000_000L))));
        d = apply(workflow.onWorkResponse(profile, d, fixtureLike, contact()));
        assertThat(d.step()).isEqualTo(Step.BOOTFLASH_NO_SPACE);
        assertThat(d.phase()).isEqualTo(Phase.BLOCKED);
        assertThat(d.bootflashFree()).hasValue(612368384L);

        for (int i = 0; i < 3; i++) {
            Decision waiting = ask(d, "c-blocked-" + i);
            assertThat(workOf(waiting)).isEqualTo(new Work.Backoff("bootflash has 612368384 bytes free, needs "
                    + "1026107392; free space, then move the device to RUN_EVENT_MANAGER", Duration.ofMinutes(10)));
            d = apply(waiting);
            d = apply(respond(d, Service.BACKOFF, new Report.Nothing()));
            assertThat(d.step()).isEqualTo(Step.BOOTFLASH_NO_SPACE);
        }

        Change unblocked = workflow.moveByOperator(d, Step.RUN_EVENT_MANAGER, now);
        assertThat(unblocked.device().phase()).isEqualTo(Phase.PROVISIONING);
        assertThat(unblocked.transitions()).singleElement().satisfies(t -> {
            assertThat(t.from()).isEqualTo(Step.BOOTFLASH_NO_SPACE);
            assertThat(t.to()).isEqualTo(Step.RUN_EVENT_MANAGER);
            assertThat(t.result()).isEqualTo("operator");
        });
        assertThat(workOf(ask(unblocked.device(), "c-go"))).isEqualTo(exec("event manager run InstallGuestShell"));
    }

    @Test
    void enoughBootflashGoesOnToTheEemApplet() {
        Device d = at(Step.CHECK_BOOTFLASH_SIZE);
        expect(d, Service.DEVICE_INFO, "all", info("17.14.01a", 1026107392L), Step.RUN_EVENT_MANAGER);
    }

    @Test
    void deviceInfoWithoutBootflashIsAFailedAttempt() {
        Device d = at(Step.CHECK_BOOTFLASH_SIZE);
        Decision decision = respond(d, Service.DEVICE_INFO, new Report.DeviceInfo("Version 17.14.01a", "", "", "", "",
                List.of(new Report.FileSystem("nvram", "nvram", 1, 1))));
        assertThat(decision.change().device().attempts()).isEqualTo(1);
        assertThat(decision.change().device().lastError()).contains("device-info listed no bootflash file system");
    }

    // --- guestshell branches

    @Test
    void deployedGuestshellIsEnabledThenCheckedAgain() {
        Device d = at(Step.CHECK_GUESTSHELL);
        Decision deployed = respond(d, Service.CLI_EXEC, new Report.ExecOutput(appList("DEPLOYED")));
        d = apply(deployed);
        assertThat(d.step()).isEqualTo(Step.ENABLE_GUESTSHELL);
        assertThat(d.attempts()).isEqualTo(1);
        assertThat(workOf(deployed)).isInstanceOf(Work.Backoff.class);
        d = expect(d, Service.CLI_EXEC, "guestshell enable", output(""), Step.WAIT_FOR_GUESTSHELL);
        assertThat(d.attempts()).as("the enable is part of the counted round").isEqualTo(1);
        d = expect(d, Service.BACKOFF, "waiting for guestshell", ok(), Step.CHECK_GUESTSHELL);
        d = expect(d, Service.CLI_EXEC, "show app-hosting list", output(appList("RUNNING")), Step.RUN_PY_SCRIPT);
        assertThat(d.attempts()).isZero();
    }

    @Test
    void missingGuestshellIsInstalledFromTheProfilesPackage() {
        Device d = at(Step.CHECK_GUESTSHELL);
        d = apply(respond(d, Service.CLI_EXEC, new Report.ExecOutput("No App found\n")));
        assertThat(d.step()).isEqualTo(Step.INSTALL_GUESTSHELL);
        assertThat(d.guestshell()).contains("NOT_INSTALLED");
        expect(d, Service.CLI_EXEC, "app-hosting install appid guestshell package bootflash:guestshell.17.09.01a.tar",
                output(""), Step.WAIT_FOR_GUESTSHELL);
    }

    @Test
    void missingGuestshellWithoutAPackageIsEnabledFromTheBundledOne() {
        profile = new Profile("p", FULL.configRegister(), FULL.image(), true,
                Optional.of(new Profile.Guestshell(Optional.empty(), Optional.of(SCRIPT), Optional.of("InstallGuestShell"),
                        0)));
        Device d = at(Step.CHECK_GUESTSHELL);
        assertThat(apply(respond(d, Service.CLI_EXEC, new Report.ExecOutput("No App found"))).step())
                .isEqualTo(Step.ENABLE_GUESTSHELL);
    }

    @Test
    void unreadableAppListMeansWaitAndLookAgain() {
        Device d = at(Step.CHECK_GUESTSHELL);
        d = apply(respond(d, Service.CLI_EXEC, new Report.ExecOutput("% IOx is starting, try later")));
        assertThat(d.step()).isEqualTo(Step.WAIT_FOR_GUESTSHELL);
        assertThat(d.guestshell()).contains("UNKNOWN");
        assertThat(d.lastError()).contains("guestshell state unknown: % IOx is starting, try later");
    }

    @Test
    void provisionedDeviceStaysFinishedAtEveryContact() {
        Device d = at(Step.FINISHED);
        for (int i = 0; i < 3; i++) {
            d = expect(d, Service.BACKOFF, "provisioned", ok(), Step.FINISHED);
        }
        assertThat(d.sequence()).isZero();
    }

    @Test
    void guestshellThatNeverRunsFailsTheDeviceAfterTheLastAttempt() {
        Device d = at(Step.CHECK_GUESTSHELL);
        for (int round = 1; round < TIMINGS.maxAttempts(); round++) {
            d = apply(respond(d, Service.CLI_EXEC, new Report.ExecOutput(appList("STOPPED"))));
            d = expect(d, Service.CLI_EXEC, "guestshell enable", output(""), Step.WAIT_FOR_GUESTSHELL);
            d = expect(d, Service.BACKOFF, "waiting for guestshell", ok(), Step.CHECK_GUESTSHELL);
        }
        d = apply(respond(d, Service.CLI_EXEC, new Report.ExecOutput(appList("STOPPED"))));
        assertThat(d.phase()).isEqualTo(Phase.FAILED);
        assertThat(d.step()).isEqualTo(Step.CHECK_GUESTSHELL);
        assertThat(d.lastError()).contains("guestshell is STOPPED");
    }

    // --- failures: bounded retries with backoff, then failed with the device's own words

    @Test
    void imageChecksumFailureIsRetriedThenMarkedFailedWithTheDevicesErrorText() {
        Device d = apply(ask(at(Step.UPGRADE_NEEDED), "c-0"));
        DeviceError checksum = new DeviceError("ERROR", "PnP Service Error 2004", "Image checksum verification failed");
        for (int attempt = 1; attempt <= TIMINGS.maxAttempts(); attempt++) {
            Decision failed = workflow.onWorkResponse(profile, d, new WorkResponse(UDI, Service.IMAGE_INSTALL,
                    d.pending().map(Device.Pending::correlator), false, Optional.of(checksum), new Report.Nothing()),
                    contact());
            d = apply(failed);
            assertThat(d.attempts()).isEqualTo(attempt);
            assertThat(d.lastError()).contains("PnP Service Error 2004: Image checksum verification failed");
            assertThat(workOf(failed)).isInstanceOf(Work.Backoff.class);
            if (attempt < TIMINGS.maxAttempts()) {
                assertThat(d.phase()).isEqualTo(Phase.PROVISIONING);
                assertThat(((Work.Backoff) workOf(failed)).callbackAfter()).isEqualTo(TIMINGS.retry());
                d = apply(ask(d, "c-" + attempt));
                assertThat(workOf(ask(d, "c-" + attempt))).isInstanceOf(Work.ImageInstall.class);
            }
        }
        assertThat(d.phase()).isEqualTo(Phase.FAILED);
        assertThat(d.step()).isEqualTo(Step.UPGRADE_INPROGRESS);
        Work parked = workOf(ask(d, "c-after"));
        assertThat(parked).isEqualTo(new Work.Backoff("provisioning failed at UPGRADE_INPROGRESS: PnP Service Error "
                + "2004: Image checksum verification failed; waiting for an operator", TIMINGS.failed()));
    }

    @Test
    void faultWithoutCorrelatorCountsAsAFailedAttemptOfThePendingRequest() {
        Device d = apply(ask(at(Step.CONFIG_REG), "c-1"));
        Decision fault = workflow.onWorkResponse(profile, d, new WorkResponse(UDI, Service.FAULT, Optional.empty(), false,
                Optional.of(new DeviceError("FAULT", "XSVC:Client", "An unknown XML tag has been received")),
                new Report.Nothing()), contact());
        assertThat(fault.change().device().attempts()).isEqualTo(1);
        assertThat(fault.change().device().lastError()).contains("XSVC:Client: An unknown XML tag has been received");
        assertThat(fault.change().transitions()).singleElement().satisfies(t -> assertThat(t.result()).isEqualTo("fault"));
    }

    @Test
    void answerOfAnotherServiceIsAFailedAttempt() {
        Device d = apply(ask(at(Step.CONFIG_REG), "c-1"));
        Decision wrong = respond(d, Service.DEVICE_INFO, info("17.14.01a", 1L));
        assertThat(wrong.change().device().lastError()).contains("device answered device-info to a cli-exec request");
    }

    @Test
    void failedConfigLineNamesTheLine() {
        Device d = apply(ask(newDevice(), "c-1"));
        Decision rejected = respond(d, Service.CLI_CONFIG, new Report.ConfigResult(List.of(
                new Report.ConfigResult.Line(1, "config-register 0x2102", false, "% Invalid input"))));
        assertThat(rejected.change().device().lastError())
                .contains("line 1 'config-register 0x2102' failed: % Invalid input");
    }

    // --- repeats and stale answers never move a device twice

    @Test
    void repeatedResponseIsAnsweredWithoutASecondTransition() {
        Device d = apply(ask(newDevice(), "c-1"));
        WorkResponse done = response(d, Service.CLI_CONFIG, new Report.ConfigResult(List.of()));
        Device once = apply(workflow.onWorkResponse(profile, d, done, contact()));
        Decision again = workflow.onWorkResponse(profile, once, done, contact());
        assertThat(again.change().transitions()).isEmpty();
        assertThat(again.change().device().step()).isEqualTo(Step.CONFIG_REG);
        assertThat(again.change().device().sequence()).isEqualTo(once.sequence());
        assertThat(again.answer()).isInstanceOf(ServerMessage.Bye.class);
    }

    @Test
    void repeatedWorkRequestGetsTheSameRequestAgain() {
        Device d = at(Step.UPGRADE_NEEDED);
        Decision first = ask(d, "c-5");
        Decision again = ask(first.change().device(), "c-5");
        assertThat(again.answer()).isEqualTo(first.answer());
        assertThat(again.change().transitions()).isEmpty();
    }

    @Test
    void answerToARequestSupersededByAnOperatorIsIgnored() {
        Device d = apply(ask(at(Step.CHECK_GUESTSHELL), "c-old"));
        Device moved = workflow.moveByOperator(d, Step.RUN_PY_SCRIPT, now).device();
        Decision late = workflow.onWorkResponse(profile, moved, new WorkResponse(UDI, Service.CLI_EXEC, Optional.of("c-old"), true,
                Optional.empty(), new Report.ExecOutput(appList("DEPLOYED"))), contact());
        assertThat(late.change().device().step()).isEqualTo(Step.RUN_PY_SCRIPT);
        assertThat(late.change().transitions()).isEmpty();
    }

    @Test
    void operatorMoveClearsAFailure() {
        Device failed = at(Step.UPGRADE_INPROGRESS).toBuilder().phase(Phase.FAILED).attempts(3)
                .lastError(Optional.of("checksum")).build();
        Device moved = workflow.moveByOperator(failed, Step.UPGRADE_NEEDED, now).device();
        assertThat(moved.phase()).isEqualTo(Phase.PROVISIONING);
        assertThat(moved.attempts()).isZero();
        assertThat(moved.lastError()).isEmpty();
        assertThat(workOf(ask(moved, "c-1"))).isInstanceOf(Work.ImageInstall.class);
    }

    @Test
    void heldDeviceIsToldWhyAndKeepsItsProgress() {
        Device d = apply(ask(at(Step.CONFIG_START), "c-1"));
        Decision held = workflow.onHeld(Optional.of(d), new WorkRequest(UDI, "c-2", "Router"),
                "profile isr1k is not ready: image missing", Phase.PENDING, contact());
        assertThat(workOf(held)).isEqualTo(new Work.Backoff("profile isr1k is not ready: image missing", TIMINGS.blocked()));
        assertThat(held.change().transitions()).isEmpty();
        assertThat(held.change().device().step()).isEqualTo(Step.CONFIG_START);
        assertThat(held.change().device().pending()).isEqualTo(d.pending());
        assertThat(held.change().device().phase()).isEqualTo(Phase.PENDING);
        assertThat(held.change().device().lastError()).contains("profile isr1k is not ready: image missing");

        Device resumed = apply(ask(held.change().device(), "c-3"));
        assertThat(resumed.phase()).isEqualTo(Phase.PROVISIONING);
        assertThat(resumed.lastError()).isEmpty();
        assertThat(resumed.step()).isEqualTo(Step.CONFIG_START);
    }

    // --- profiles switch steps off

    @Test
    void profileWithoutImageConfigRegisterOrGuestshellRunsWhatIsLeft() {
        profile = new Profile("bare", Optional.empty(), Optional.empty(), true, Optional.empty());
        workflow = new Workflow(TIMINGS, () -> "t");
        Device d = newDevice();
        d = expect(d, Service.DEVICE_INFO, "all", info("17.06.01a", 1L), Step.UPGRADE_DONE);
        d = expect(d, Service.CONFIG_UPGRADE, "http://pnp.lab/configs/t/FGL2548L0AW.cfg", ok(), Step.CONFIG_SAVE_STARTUP);
        d = expect(d, Service.CLI_EXEC, "write memory", output("[OK]"), Step.FINISHED);
        assertThat(d.phase()).isEqualTo(Phase.PROVISIONED);
    }

    @Test
    void versionsCompareWithoutLeadingZeros() {
        assertThat(Versions.same("17.06.01a", "17.6.1a")).isTrue();
        assertThat(Versions.same("17.14.01a", "17.14.01")).isFalse();
        assertThat(Versions.same("17.09.04a", "17.9.4A")).isTrue();
    }

    // --- helpers: one exchange is a work request, then a work response

    private Device expect(Device device, Service service, String detail, Report report, Step next) {
        Decision asked = ask(device, "c-" + (++exchanges));
        Work work = workOf(asked);
        assertThat(work.service()).as("service asked in " + device.step()).isEqualTo(service);
        assertThat(describe(work)).as("request in " + device.step()).contains(detail);
        Device sent = apply(asked);
        Device answered = apply(respond(sent, service, report));
        assertThat(answered.step()).as("step after " + device.step()).isEqualTo(next);
        return answered;
    }

    private Decision ask(Device device, String correlator) {
        now = now.plusSeconds(1);
        return workflow.onWorkRequest(profile, Optional.of(device), new WorkRequest(UDI, correlator, "Router"), contact());
    }

    /** The device answers its pending request, after being asked for work if nothing is pending. */
    private Decision respond(Device device, Service service, Report report) {
        Device asked = device.pending().isPresent() ? device : apply(ask(device, "c-" + (++exchanges)));
        return workflow.onWorkResponse(profile, asked, response(asked, service, report), contact());
    }

    private WorkResponse response(Device device, Service service, Report report) {
        String correlator = device.pending().map(Device.Pending::correlator).orElseThrow();
        return new WorkResponse(UDI, service, Optional.of(correlator), true, Optional.empty(), report);
    }

    private Device newDevice() {
        return Device.discovered(UDI, "Router", contact());
    }

    private Device at(Step step) {
        return newDevice().toBuilder().step(step, now).build();
    }

    private static Device apply(Decision decision) {
        return decision.change().device();
    }

    private Contact contact() {
        return new Contact("10.0.0.7", now, LINKS);
    }

    private static Work workOf(Decision decision) {
        return ((ServerMessage.Request) decision.answer()).work();
    }

    private static String describe(Work work) {
        if (work instanceof Work.CliConfig c) {
            return String.join("\n", c.commands());
        } else if (work instanceof Work.CliExec e) {
            return e.command();
        } else if (work instanceof Work.DeviceInfo i) {
            return i.type();
        } else if (work instanceof Work.ImageInstall i) {
            return i.source() + " " + i.destination();
        } else if (work instanceof Work.FileTransfer f) {
            return f.source() + " " + f.destination();
        } else if (work instanceof Work.ConfigUpgrade c) {
            return c.source().toString();
        } else if (work instanceof Work.Backoff b) {
            return b.reason();
        }
        return work.toString();
    }

    private static Work exec(String command) {
        return new Work.CliExec(command, Duration.ofSeconds(60));
    }

    private static Report ok() {
        return new Report.Nothing();
    }

    private static Report output(String text) {
        return new Report.ExecOutput(text);
    }

    private static Report info(String version, long bootflashFree) {
        return new Report.DeviceInfo("Cisco IOS XE Software, Version " + version,
                "bootflash:c1100-universalk9." + version + ".SPA.bin", "0x2102", "C1131-8PWB", "FGL2548L0AW",
                List.of(new Report.FileSystem("bootflash", "disk", 7194652672L, bootflashFree),
                        new Report.FileSystem("nvram", "nvram", 33554432L, 33548287L)));
    }

    private static String appList(String state) {
        return "App id                                   State\n"
                + "---------------------------------------------------------\n"
                + "guestshell                               " + state + "\n";
    }
}

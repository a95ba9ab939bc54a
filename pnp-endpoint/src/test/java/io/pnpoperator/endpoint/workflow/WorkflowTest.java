package io.pnpoperator.endpoint.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import io.pnpoperator.endpoint.protocol.Credentials;
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
    static final String PACKAGE_MD5 = "0123456789abcdef0123456789abcdef";
    static final String SCRIPT_MD5 = "6f1ed002ab5595859014ebf0951522d9";
    static final Profile.Artifact PACKAGE = new Profile.Artifact("guestshell.17.09.01a.tar", "bootflash:",
            Optional.of(PACKAGE_MD5));
    static final Profile.Artifact SCRIPT = new Profile.Artifact("pxs.py", "bootflash:guest-share/",
            Optional.of(SCRIPT_MD5));
    static final Duration START_TIMEOUT = Duration.ofMinutes(15);
    static final Profile.Image IMAGE = new Profile.Image("c1100-universalk9.17.14.01a.SPA.bin", "17.14.01a",
            "4b2a2e5a9d6f4f9d8e0c2b1a7f3e6d5c", true);
    static final Profile FULL = new Profile("isr1k", Optional.of("0x2102"), Optional.of(IMAGE), true,
            Optional.of(new Profile.Guestshell(Optional.of(PACKAGE), Optional.of(SCRIPT), Optional.of("InstallGuestShell"),
                    1026107392L, START_TIMEOUT)), Optional.empty());
    static final Links LINKS = new Links() {
        public URI image(String file) {
            return URI.create("http://pnp.lab/images/" + file);
        }

        public URI file(String name) {
            return URI.create("http://pnp.lab/files/" + name);
        }

        public URI config(String serial) {
            throw new AssertionError("a config URL needs its request's secret");
        }

        public Links withConfigSecret(String secret) {
            Links plain = this;
            return new Links() {
                public URI image(String file) {
                    return plain.image(file);
                }

                public URI file(String name) {
                    return plain.file(name);
                }

                public URI config(String serial) {
                    return URI.create("http://pnp.lab/configs/" + secret + "/" + serial + ".cfg");
                }

                public Links withConfigSecret(String another) {
                    return plain.withConfigSecret(another);
                }
            };
        }
    };
    static final Security SECURITY = new Security(true, Duration.ofMinutes(10), Security.Reappeared.HOLD, null);
    static final Timings TIMINGS = new Timings(3, Duration.ofSeconds(60), Duration.ofMinutes(5), Duration.ofMinutes(1),
            Duration.ofMinutes(10), Duration.ofHours(1), Duration.ofHours(24));

    Profile profile = FULL;
    Workflow workflow = new Workflow(TIMINGS, SECURITY, () -> "tok3n");
    Instant now = Instant.parse("2026-11-24T08:00:00Z");
    int exchanges;

    // --- the whole workflow

    @Test
    void blankRouterIsWalkedThroughEveryStepToFinished() {
        Device d = newDevice();
        d = expect(d, Service.CLI_CONFIG, "config-register 0x2102", ok(), Step.CONFIG_REG);
        d = expect(d, Service.CLI_EXEC, "write memory", output("[OK]"), Step.CHECK_IMAGE_VER);
        d = expect(d, Service.DEVICE_INFO, "all", info("17.6.1a", 7_000_000_000L), Step.UPGRADE_NEEDED);
        d = expect(d, Service.IMAGE_INSTALL, "http://pnp.lab/images/c1100-universalk9.17.14.01a.SPA.bin", ok(),
                Step.UPGRADE_RELOAD_NEEDED);
        d = expect(d, Service.BACKOFF, "reloading into 17.14.01a", ok(), Step.UPGRADE_RELOADING);
        d = expect(d, Service.DEVICE_INFO, "all", info("17.14.1a", 6_000_000_000L), Step.UPGRADE_DONE);
        d = expect(d, Service.FILE_TRANSFER, "bootflash:guestshell.17.09.01a.tar", ok(), Step.GS_TARBALL_VERIFY);
        d = expect(d, Service.CLI_EXEC, "verify /md5 bootflash:guestshell.17.09.01a.tar",
                output(md5Output("bootflash:guestshell.17.09.01a.tar", PACKAGE_MD5)), Step.PY_SCRIPT_TRANSFER);
        d = expect(d, Service.FILE_TRANSFER, "bootflash:guest-share/pxs.py", ok(), Step.PY_SCRIPT_VERIFY);
        d = expect(d, Service.CLI_EXEC, "verify /md5 bootflash:guest-share/pxs.py",
                output(md5Output("bootflash:guest-share/pxs.py", SCRIPT_MD5)), Step.CONFIG_START);
        d = expect(d, Service.CONFIG_UPGRADE, "http://pnp.lab/configs/tok3n/FGL2548L0AW.cfg", ok(),
                Step.CONFIG_SAVE_STARTUP);
        d = expect(d, Service.CLI_EXEC, "write memory", output("[OK]"), Step.CHECK_BOOTFLASH_SIZE);
        d = expect(d, Service.DEVICE_INFO, "all", info("17.14.1a", 2_000_000_000L), Step.RUN_EVENT_MANAGER);
        d = expect(d, Service.CLI_EXEC, "event manager run InstallGuestShell", output(""), Step.WAIT_FOR_GUESTSHELL);
        d = expect(d, Service.BACKOFF, "waiting for guestshell", ok(), Step.CHECK_GUESTSHELL);
        d = expect(d, Service.CLI_EXEC, "show app-hosting list", output(appList("RUNNING")), Step.RUN_PY_SCRIPT);
        d = expect(d, Service.CLI_EXEC, "guestshell run python3 bootflash:guest-share/pxs.py", output("done"),
                Step.FINISHED);

        assertThat(d.phase()).isEqualTo(Phase.PROVISIONED);
        assertThat(d.progress().finishedAt()).isPresent();
        assertThat(d.observed().configApplied()).isTrue();
        assertThat(d.observed().scriptRan()).isTrue();
        assertThat(d.observed().guestshell()).contains("RUNNING");
        assertThat(d.observed().version()).contains("17.14.1a");
        assertThat(d.progress().transitions()).as("17 steps answered, 2 entered on request").isEqualTo(19);
        assertThat(d.progress().waiting()).as("nothing left to wait for").isEmpty();
        assertThat(d.exchange().configGrant()).as("the config URL dies once the config is applied").isEmpty();
        Work finished = workOf(ask(d, "c-last"));
        assertThat(finished).isEqualTo(new Work.Backoff("provisioned", Duration.ofHours(24)));
    }

    @Test
    void everyWorkResponseIsAcknowledgedWithBye() {
        Device d = apply(ask(at(Step.CONFIG_REG), "c-1"));
        assertThat(respond(d, Service.CLI_EXEC, output("[OK]")).answer()).isInstanceOf(ServerMessage.Bye.class);
        Decision failed = answer(workflow, profile, d, failure(d, Service.CLI_EXEC, "PnP Service Error 1300",
                "boom"), contact());
        assertThat(failed.answer()).as("a failure too: the wait comes with the next work request")
                .isEqualTo(new ServerMessage.Bye(UDI, "c-1", Optional.empty()));
    }

    // --- versions in every shape IOS-XE reports them

    @Test
    void deviceAlreadyOnTheTargetVersionSkipsTheUpgradeWhateverTheShapeOfItsVersion() {
        for (String reported : List.of("17.14.1a", "17.14.01a", "Cisco IOS XE Software, Version 17.14.01a",
                "Cisco IOS Software [Dublin], c1100 Software (ARMV8EB_LINUX_IOSD-UNIVERSALK9_IAS-M), Version 17.14.1a, "
                        + "RELEASE SOFTWARE (fc2)")) {
            Device d = at(Step.CHECK_IMAGE_VER);
            d = expect(d, Service.DEVICE_INFO, "all", info(reported, 7_000_000_000L), Step.UPGRADE_DONE);
            assertThat(workOf(ask(d, "c-9"))).as(reported).isInstanceOf(Work.FileTransfer.class);
        }
    }

    @Test
    void upgradeIsDecidedByVersionNotByImageFileName() {
        Device d = apply(ask(at(Step.CHECK_IMAGE_VER), "c-1"));
        WorkResponse installMode = response(d, Service.DEVICE_INFO, new Report.DeviceInfo("17.14.1a",
                "bootflash:packages.conf", "0x2102", "C1131-8PWB", "FGL2548L0AW", List.of()));
        assertThat(answer(workflow, profile, d, installMode, contact()).change().device().step())
                .isEqualTo(Step.UPGRADE_DONE);
    }

    @Test
    void theUpgradeIsConfirmedFromTheBarePostReloadVersion() {
        Device d = at(Step.UPGRADE_RELOADING);
        d = expect(d, Service.DEVICE_INFO, "all", info("17.14.1a", 1L), Step.UPGRADE_DONE);
        assertThat(d.progress().attempts()).isZero();
    }

    @Test
    void aVersionStringWithoutAVersionIsAFailedTryNamingWhatWasReceived() {
        Device d = at(Step.CHECK_IMAGE_VER);
        Decision decision = respond(d, Service.DEVICE_INFO, info("Cisco IOS XE Software", 1L));
        assertThat(decision.change().device().progress().attempts()).isEqualTo(1);
        assertThat(decision.change().device().progress().lastError().orElse("")).contains("device-info versionString 'Cisco IOS XE Software' names no IOS-XE version");
    }

    @Test
    void deviceStillOnTheOldVersionAfterReloadIsCheckedAgainAfterABackoff() {
        Device d = at(Step.UPGRADE_RELOADING);
        d = apply(respond(d, Service.DEVICE_INFO, info("17.6.1a", 1L)));
        assertThat(d.step()).isEqualTo(Step.UPGRADE_RELOADING);
        assertThat(d.progress().lastError().orElse("")).contains("device runs 17.6.1a after the image install, expected 17.14.01a");
        Work wait = workOf(ask(d, "c-next"));
        assertThat(wait).isInstanceOf(Work.Backoff.class);
        assertThat(((Work.Backoff) wait).reason()).startsWith("attempt 1 of 3 failed: device runs 17.6.1a");
    }

    // --- image install: the reload Cisco's schema requires, or a reload request of its own

    @Test
    void imageInstallMovesToInProgressWhenSentAndCarriesTheMd5AndItsReload() {
        Device d = at(Step.UPGRADE_NEEDED);
        Decision sent = ask(d, "c-7");
        assertThat(workOf(sent)).isEqualTo(new Work.ImageInstall(
                URI.create("http://pnp.lab/images/c1100-universalk9.17.14.01a.SPA.bin"),
                "4b2a2e5a9d6f4f9d8e0c2b1a7f3e6d5c", "bootflash:c1100-universalk9.17.14.01a.SPA.bin",
                Optional.of(new Work.Reload("pnp-operator: boot c1100-universalk9.17.14.01a.SPA.bin", Duration.ZERO,
                        true))));
        assertThat(sent.change().device().step()).isEqualTo(Step.UPGRADE_INPROGRESS);
        assertThat(sent.change().transitions()).extracting(Transition::to).containsExactly(Step.UPGRADE_INPROGRESS);
    }

    @Test
    void withoutReloadInTheInstallTheDeviceIsAskedToReloadAsAStep() {
        profile = new Profile("p", FULL.configRegister(), Optional.of(new Profile.Image(IMAGE.file(), IMAGE.version(),
                IMAGE.md5(), false)), true, FULL.guestshell(), Optional.empty());
        Device d = at(Step.UPGRADE_NEEDED);
        assertThat(((Work.ImageInstall) workOf(ask(d, "c-1"))).reload()).isEmpty();
        d = expect(d, Service.IMAGE_INSTALL, "bootflash:c1100", ok(), Step.UPGRADE_RELOAD_NEEDED);
        Work reload = workOf(ask(d, "c-2"));
        assertThat(reload).isEqualTo(new Work.Reload("pnp-operator: boot c1100-universalk9.17.14.01a.SPA.bin",
                Duration.ZERO, true));
        d = expect(d, Service.RELOAD, "", ok(), Step.UPGRADE_RELOADING);
    }

    // --- copies checked on the router with verify /md5

    @Test
    void aCopyWhoseMd5DiffersIsCopiedAgain() {
        Device d = at(Step.PY_SCRIPT_VERIFY);
        d = apply(respond(d, Service.CLI_EXEC, output(md5Output("bootflash:guest-share/pxs.py",
                "ffffffffffffffffffffffffffffffff"))));
        assertThat(d.step()).isEqualTo(Step.PY_SCRIPT_TRANSFER);
        assertThat(d.progress().attempts()).isEqualTo(1);
        assertThat(d.progress().lastError().orElse("")).contains("bootflash:guest-share/pxs.py has MD5 "
                + "ffffffffffffffffffffffffffffffff, expected " + SCRIPT_MD5);
    }

    @Test
    void aVerifyThatPrintsNoMd5IsAFailedTryWithTheRoutersText() {
        Device d = at(Step.GS_TARBALL_VERIFY);
        d = apply(respond(d, Service.CLI_EXEC, output("%Error opening bootflash:guestshell.17.09.01a.tar "
                + "(No such file or directory)\n")));
        assertThat(d.step()).isEqualTo(Step.GS_TARBALL_TRANSFER);
        assertThat(d.progress().lastError().orElse("")).contains("printed no MD5: %Error opening bootflash:guestshell");
    }

    @Test
    void filesWithoutAKnownMd5AreNotVerified() {
        profile = new Profile("p", Optional.empty(), Optional.empty(), false, Optional.of(new Profile.Guestshell(
                Optional.empty(), Optional.of(new Profile.Artifact("pxs.py", "bootflash:guest-share/", Optional.empty())),
                Optional.empty(), 0, START_TIMEOUT)), Optional.empty());
        Device d = at(Step.PY_SCRIPT_TRANSFER);
        d = expect(d, Service.FILE_TRANSFER, "pxs.py", ok(), Step.WAIT_FOR_GUESTSHELL);
    }

    // --- bootflash, picked by name among several file systems

    @Test
    void lowBootflashBlocksTheDeviceUntilAPersonMovesIt() {
        Device d = apply(ask(at(Step.CHECK_BOOTFLASH_SIZE), "c-1"));
        WorkResponse severalFileSystems = response(d, Service.DEVICE_INFO, new Report.DeviceInfo("17.14.1a", "", "",
                "", "", List.of(new Report.FileSystem("nvram", "nvram", 33554432L, 33548287L),
                new Report.FileSystem("bootflash", "disk", 7194652672L, 612368384L),
                new Report.FileSystem("usb0", "disk", 8_000_000_000L, 8_000_000_000L))));
        d = apply(answer(workflow, profile, d, severalFileSystems, contact()));
        assertThat(d.step()).isEqualTo(Step.BOOTFLASH_NO_SPACE);
        assertThat(d.phase()).isEqualTo(Phase.BLOCKED);
        assertThat(d.observed().bootflashFree()).hasValue(612368384L);

        for (int i = 0; i < 3; i++) {
            Decision waiting = ask(d, "c-blocked-" + i);
            assertThat(workOf(waiting)).isEqualTo(new Work.Backoff("bootflash has 612368384 bytes free, needs "
                    + "1026107392; free space, then move the device to RUN_EVENT_MANAGER", Duration.ofMinutes(10)));
            d = apply(waiting);
            d = apply(respond(d, Service.BACKOFF, new Report.Nothing()));
            assertThat(d.step()).isEqualTo(Step.BOOTFLASH_NO_SPACE);
        }

        Change unblocked = workflow.moveByOperator(d, Step.RUN_EVENT_MANAGER, "kubectl-patch", now).change();
        assertThat(unblocked.device().phase()).isEqualTo(Phase.PROVISIONING);
        assertThat(unblocked.transitions()).singleElement().satisfies(t -> {
            assertThat(t.from()).isEqualTo(Step.BOOTFLASH_NO_SPACE);
            assertThat(t.to()).isEqualTo(Step.RUN_EVENT_MANAGER);
            assertThat(t.work()).isEqualTo("operator");
            assertThat(t.result()).isEqualTo("kubectl-patch");
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
        Decision decision = respond(d, Service.DEVICE_INFO, new Report.DeviceInfo("17.14.1a", "", "", "", "",
                List.of(new Report.FileSystem("nvram", "nvram", 1, 1))));
        assertThat(decision.change().device().progress().attempts()).isEqualTo(1);
        assertThat(decision.change().device().progress().lastError().orElse("")).contains("device-info listed no bootflash file system");
    }

    // --- the guestshell: a slow start is progress, bounded by a time budget, not by the attempt count

    @Test
    void aSlowGuestshellStartIsWaitedForWithoutCountingAttempts() {
        Device d = ranEemApplet();
        d = expect(d, Service.BACKOFF, "waiting for guestshell", ok(), Step.CHECK_GUESTSHELL);
        for (String state : List.of("DEPLOYED", "DEPLOYED", "ACTIVATED", "ACTIVATED")) {
            d = expect(d, Service.CLI_EXEC, "show app-hosting list", output(appList(state)), Step.WAIT_FOR_GUESTSHELL);
            assertThat(d.progress().attempts()).as("still starting: " + state).isZero();
            assertThat(d.observed().guestshell()).contains(state);
            d = expect(d, Service.BACKOFF, "waiting for guestshell", ok(), Step.CHECK_GUESTSHELL);
        }
        d = expect(d, Service.CLI_EXEC, "show app-hosting list", output(appList("RUNNING")), Step.RUN_PY_SCRIPT);
        assertThat(d.progress().waiting()).isEmpty();
    }

    @Test
    void aGuestshellStillStartingWhenTheBudgetRunsOutCountsOneAttemptAndIsEnabledAgain() {
        Device d = ranEemApplet();
        d = expect(d, Service.BACKOFF, "waiting for guestshell", ok(), Step.CHECK_GUESTSHELL);
        now = now.plus(START_TIMEOUT);
        d = apply(respond(d, Service.CLI_EXEC, output(appList("ACTIVATED"))));
        assertThat(d.step()).isEqualTo(Step.ENABLE_GUESTSHELL);
        assertThat(d.progress().attempts()).isEqualTo(1);
        assertThat(d.progress().lastError().orElse("")).contains("guestshell is ACTIVATED 15 min after RUN_EVENT_MANAGER");
        d = waitedOut(d);
        d = expect(d, Service.CLI_EXEC, "guestshell enable", output(""), Step.WAIT_FOR_GUESTSHELL);
        assertThat(d.progress().waiting()).contains(new Device.Waiting(Step.ENABLE_GUESTSHELL, now));
        assertThat(d.progress().attempts()).as("the enable is part of the counted round").isEqualTo(1);
    }

    @Test
    void guestshellThatNeverRunsFailsTheDeviceWhenEveryBudgetRanOut() {
        Device d = at(Step.ENABLE_GUESTSHELL);
        for (int round = 1; round <= TIMINGS.maxAttempts(); round++) {
            d = waitedOut(d);
            d = expect(d, Service.CLI_EXEC, "guestshell enable", output(""), Step.WAIT_FOR_GUESTSHELL);
            d = expect(d, Service.BACKOFF, "waiting for guestshell", ok(), Step.CHECK_GUESTSHELL);
            now = now.plus(START_TIMEOUT);
            d = apply(respond(d, Service.CLI_EXEC, output(appList("DEPLOYED"))));
        }
        assertThat(d.phase()).isEqualTo(Phase.FAILED);
        assertThat(d.step()).isEqualTo(Step.CHECK_GUESTSHELL);
        assertThat(d.progress().lastError().orElse("")).contains("guestshell is DEPLOYED 15 min after ENABLE_GUESTSHELL");
    }

    @Test
    void noGuestshellRightAfterTheEemAppletIsWaitedForThenInstalledFromThePackage() {
        Device d = ranEemApplet();
        d = expect(d, Service.BACKOFF, "waiting for guestshell", ok(), Step.CHECK_GUESTSHELL);
        d = expect(d, Service.CLI_EXEC, "show app-hosting list", output("No App found\n"), Step.WAIT_FOR_GUESTSHELL);
        assertThat(d.progress().attempts()).as("the applet starts it in the background").isZero();
        assertThat(d.observed().guestshell()).contains("NONE");
        d = expect(d, Service.BACKOFF, "waiting for guestshell", ok(), Step.CHECK_GUESTSHELL);
        now = now.plus(START_TIMEOUT);
        d = apply(respond(d, Service.CLI_EXEC, output("No App found\n")));
        assertThat(d.step()).isEqualTo(Step.INSTALL_GUESTSHELL);
        assertThat(d.progress().lastError().orElse("")).contains("guestshell is NONE 15 min after RUN_EVENT_MANAGER");
        d = waitedOut(d);
        d = expect(d, Service.CLI_EXEC, "app-hosting install appid guestshell package bootflash:guestshell.17.09.01a.tar",
                output("Installing package"), Step.WAIT_FOR_GUESTSHELL);
        d = expect(d, Service.BACKOFF, "waiting for guestshell", ok(), Step.CHECK_GUESTSHELL);
        d = expect(d, Service.CLI_EXEC, "show app-hosting list", output("No App found\n"), Step.WAIT_FOR_GUESTSHELL);
        d = expect(d, Service.BACKOFF, "waiting for guestshell", ok(), Step.CHECK_GUESTSHELL);
        d = expect(d, Service.CLI_EXEC, "show app-hosting list", output(appList("DEPLOYED")), Step.ENABLE_GUESTSHELL);
        assertThat(d.progress().attempts()).as("DEPLOYED is where an install ends: no new failure").isEqualTo(1);
        d = expect(d, Service.CLI_EXEC, "guestshell enable", output(""), Step.WAIT_FOR_GUESTSHELL);
        d = expect(d, Service.BACKOFF, "waiting for guestshell", ok(), Step.CHECK_GUESTSHELL);
        d = expect(d, Service.CLI_EXEC, "show app-hosting list", output(appList("RUNNING")), Step.RUN_PY_SCRIPT);
        assertThat(d.progress().attempts()).isZero();
    }

    @Test
    void withNoCommandInFlightAMissingGuestshellIsInstalledAtOnce() {
        Device d = at(Step.CHECK_GUESTSHELL);
        d = expect(d, Service.CLI_EXEC, "show app-hosting list", output("No App found\n"), Step.INSTALL_GUESTSHELL);
        assertThat(d.progress().attempts()).isZero();
    }

    @Test
    void noGuestshellWithoutAPackageIsEnabledFromTheBundledOne() {
        profile = new Profile("p", FULL.configRegister(), FULL.image(), true,
                Optional.of(new Profile.Guestshell(Optional.empty(), Optional.of(SCRIPT), Optional.of("InstallGuestShell"),
                        0, START_TIMEOUT)), Optional.empty());
        Device d = at(Step.CHECK_GUESTSHELL);
        assertThat(apply(respond(d, Service.CLI_EXEC, output("No App found"))).step())
                .isEqualTo(Step.ENABLE_GUESTSHELL);
    }

    @Test
    void stoppedGuestshellIsEnabledEvenWhileWaiting() {
        Device d = ranEemApplet();
        d = expect(d, Service.BACKOFF, "waiting for guestshell", ok(), Step.CHECK_GUESTSHELL);
        d = expect(d, Service.CLI_EXEC, "show app-hosting list", output(appList("STOPPED")), Step.ENABLE_GUESTSHELL);
    }

    @Test
    void outputThatIsNoAppTableIsAFailedTryWithTheText() {
        Device d = at(Step.CHECK_GUESTSHELL);
        d = apply(respond(d, Service.CLI_EXEC, output("% Error: IOx service is not running")));
        assertThat(d.step()).isEqualTo(Step.WAIT_FOR_GUESTSHELL);
        assertThat(d.observed().guestshell()).contains("UNKNOWN");
        assertThat(d.progress().attempts()).isEqualTo(1);
        assertThat(d.progress().lastError().orElse("")).contains("show app-hosting list printed no app table: % Error: IOx service is not running");
    }

    @Test
    void provisionedDeviceStaysFinishedAtEveryContact() {
        Device d = at(Step.FINISHED);
        for (int i = 0; i < 3; i++) {
            d = expect(d, Service.BACKOFF, "provisioned", ok(), Step.FINISHED);
        }
        assertThat(d.progress().transitions()).isZero();
    }

    // --- failures: bounded retries, the wait told at the next work request, then failed with the device's words

    @Test
    void imageChecksumFailureIsRetriedThenMarkedFailedWithTheDevicesErrorText() {
        Device d = apply(ask(at(Step.UPGRADE_NEEDED), "c-0"));
        for (int attempt = 1; attempt <= TIMINGS.maxAttempts(); attempt++) {
            Decision failed = answer(workflow, profile, d, failure(d, Service.IMAGE_INSTALL,
                    "PnP Service Error 1816", "Error verifying checksum for Image"), contact());
            d = apply(failed);
            assertThat(failed.answer()).isInstanceOf(ServerMessage.Bye.class);
            assertThat(d.progress().attempts()).isEqualTo(attempt);
            assertThat(d.progress().lastError().orElse("")).contains("PnP Service Error 1816: Error verifying checksum for Image");
            if (attempt < TIMINGS.maxAttempts()) {
                assertThat(d.phase()).isEqualTo(Phase.PROVISIONING);
                Decision wait = ask(d, "c-wait-" + attempt);
                assertThat(workOf(wait)).isEqualTo(new Work.Backoff("attempt " + attempt + " of 3 failed: PnP "
                        + "Service Error 1816: Error verifying checksum for Image; trying again", TIMINGS.retry()));
                assertThat(wait.change().device().exchange().pending()).as("nothing awaited").isEmpty();
                Decision retried = ask(apply(wait), "c-" + attempt);
                assertThat(workOf(retried)).isInstanceOf(Work.ImageInstall.class);
                d = apply(retried);
            }
        }
        assertThat(d.phase()).isEqualTo(Phase.FAILED);
        assertThat(d.step()).isEqualTo(Step.UPGRADE_INPROGRESS);
        Work parked = workOf(ask(d, "c-after"));
        assertThat(parked).isEqualTo(new Work.Backoff("provisioning failed at UPGRADE_INPROGRESS: PnP Service Error "
                + "1816: Error verifying checksum for Image; waiting for an operator", TIMINGS.failed()));
    }

    @Test
    void theAcknowledgementOfARetryWaitChangesNothing() {
        Device d = apply(ask(at(Step.CONFIG_REG), "c-1"));
        d = apply(answer(workflow, profile, d, failure(d, Service.CLI_EXEC, "PnP Service Error 1300", "x"),
                contact()));
        Device waiting = apply(ask(d, "c-2"));
        Decision ack = answer(workflow, profile, waiting, new WorkResponse(UDI, Service.BACKOFF,
                Optional.of("c-2"), true, Optional.empty(), ok()), contact());
        assertThat(ack.change().transitions()).isEmpty();
        assertThat(ack.change().device().progress()).isEqualTo(waiting.progress());
    }

    @Test
    void faultWithoutCorrelatorCountsAsAFailedAttemptOfThePendingRequest() {
        Device d = apply(ask(at(Step.CONFIG_REG), "c-1"));
        Decision fault = answer(workflow, profile, d, new WorkResponse(UDI, Service.FAULT, Optional.empty(), false,
                Optional.of(new DeviceError("FAULT", "XSVC:Client", "An unknown XML tag has been received")),
                new Report.Nothing()), contact());
        assertThat(fault.change().device().progress().attempts()).isEqualTo(1);
        assertThat(fault.change().device().progress().lastError().orElse("")).contains("XSVC:Client: An unknown XML tag has been received");
        assertThat(fault.change().transitions()).singleElement().satisfies(t -> assertThat(t.result()).isEqualTo("fault"));
    }

    @Test
    void aBackoffAcknowledgedUnderTheCorrelatorOfAStoredRequestChangesNothing() {
        Device d = apply(ask(at(Step.CONFIG_REG), "c-1"));
        Decision ack = answer(workflow, profile, d, new WorkResponse(UDI, Service.BACKOFF, Optional.of("c-1"), true,
                Optional.empty(), new Report.Nothing()), contact());
        assertThat(ack.ignored()).as("told to come back instead of being sent the stored request")
                .contains(Decision.Ignored.NOT_AWAITED);
        assertThat(ack.change().transitions()).isEmpty();
        assertThat(ack.change().device().progress()).isEqualTo(d.progress());
        assertThat(workOf(ask(d, "c-2"))).as("the request, sent at the next work request")
                .isEqualTo(workOf(ask(at(Step.CONFIG_REG), "c-3")));
    }

    @Test
    void answerOfAnotherServiceIsAFailedAttempt() {
        Device d = apply(ask(at(Step.CONFIG_REG), "c-1"));
        Decision wrong = respond(d, Service.DEVICE_INFO, info("17.14.01a", 1L));
        assertThat(wrong.change().device().progress().lastError().orElse("")).contains("device answered device-info to a cli-exec request");
    }

    @Test
    void failedConfigLineNamesTheLine() {
        Device d = apply(ask(newDevice(), "c-1"));
        Decision rejected = respond(d, Service.CLI_CONFIG, new Report.ConfigResult(List.of(
                new Report.ConfigResult.Line(1, "config-register 0x2102", false, "% Invalid input"))));
        assertThat(rejected.change().device().progress().lastError().orElse("")).contains("line 1 'config-register 0x2102' failed: % Invalid input");
    }

    // --- credentials for devices that ask for them

    @Test
    void aDeviceThatAsksForCredentialsGetsThemOnEveryMessage() {
        Credentials login = new Credentials("pnp", "s3cret");
        profile = new Profile("p", FULL.configRegister(), FULL.image(), true, FULL.guestshell(), Optional.of(login));
        Decision asked = workflow.onWorkRequest(profile, Optional.of(newDevice()),
                new WorkRequest(UDI, "c-1", "Router", true, false), contact());
        assertThat(asked.answer().credentials()).contains(login);
        Device d = apply(asked);
        assertThat(respond(d, Service.CLI_CONFIG, ok()).answer().credentials()).contains(login);
        Decision plain = workflow.onWorkRequest(profile, Optional.of(newDevice()), new WorkRequest(UDI, "c-1", "Router",
                false, false), contact());
        assertThat(plain.answer().credentials()).as("never sent unasked").isEmpty();
    }

    @Test
    void aDeviceThatAsksForCredentialsItsProfileLacksIsHeldWithTheReason() {
        Decision held = workflow.onWorkRequest(profile, Optional.of(at(Step.CONFIG_REG)),
                new WorkRequest(UDI, "c-1", "Router", true, false), contact());
        assertThat(held.change().device().phase()).isEqualTo(Phase.PENDING);
        assertThat(held.change().device().step()).isEqualTo(Step.CONFIG_REG);
        assertThat(held.change().device().progress().lastError().orElse("")).contains("asks for credentials (authRequired) and "
                + "profile 'isr1k' has none: set spec.credentialsSecret");
        assertThat(workOf(held)).isInstanceOf(Work.Backoff.class);
    }

    // --- repeats and stale answers never move a device twice

    @Test
    void repeatedResponseIsAnsweredWithoutASecondTransition() {
        Device d = apply(ask(newDevice(), "c-1"));
        WorkResponse done = response(d, Service.CLI_CONFIG, new Report.ConfigResult(List.of()));
        Device once = apply(answer(workflow, profile, d, done, contact()));
        Decision again = answer(workflow, profile, once, done, contact());
        assertThat(again.change().transitions()).isEmpty();
        assertThat(again.change().device().step()).isEqualTo(Step.CONFIG_REG);
        assertThat(again.change().device().progress().transitions()).isEqualTo(once.progress().transitions());
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
        Device moved = workflow.moveByOperator(d, Step.RUN_PY_SCRIPT, "admin-api", now).change().device();
        Decision late = answer(workflow, profile, moved, new WorkResponse(UDI, Service.CLI_EXEC, Optional.of("c-old"), true,
                Optional.empty(), output(appList("DEPLOYED"))), contact());
        assertThat(late.change().device().step()).isEqualTo(Step.RUN_PY_SCRIPT);
        assertThat(late.change().transitions()).isEmpty();
    }

    @Test
    void operatorMoveClearsAFailureAndItsWait() {
        Device sent = apply(ask(at(Step.UPGRADE_NEEDED), "c-0"));
        Device failed = apply(answer(workflow, profile, sent, failure(sent, Service.IMAGE_INSTALL,
                "PnP Service Error 1816", "checksum"), contact()));
        assertThat(failed.progress().backoffDue()).isTrue();
        Device moved = workflow.moveByOperator(failed, Step.UPGRADE_NEEDED, "admin-api", now).change().device();
        assertThat(moved.phase()).isEqualTo(Phase.PROVISIONING);
        assertThat(moved.progress().attempts()).isZero();
        assertThat(moved.progress().lastError()).isEmpty();
        assertThat(moved.progress().backoffDue()).isFalse();
        assertThat(workOf(ask(moved, "c-1"))).isInstanceOf(Work.ImageInstall.class);
    }

    @Test
    void heldDeviceIsToldWhyAndKeepsItsProgress() {
        Device d = apply(ask(at(Step.CONFIG_START), "c-1"));
        Decision held = workflow.onHeld(Optional.of(d), new WorkRequest(UDI, "c-2", "Router", false, false),
                "profile isr1k is not ready: image missing", Phase.PENDING, contact());
        assertThat(workOf(held)).isEqualTo(new Work.Backoff("profile isr1k is not ready: image missing", TIMINGS.blocked()));
        assertThat(held.change().transitions()).isEmpty();
        assertThat(held.change().device().step()).isEqualTo(Step.CONFIG_START);
        assertThat(held.change().device().exchange()).isEqualTo(d.exchange());
        assertThat(held.change().device().phase()).isEqualTo(Phase.PENDING);
        assertThat(held.change().device().progress().lastError().orElse("")).contains("profile isr1k is not ready: image missing");

        Device resumed = apply(ask(held.change().device(), "c-3"));
        assertThat(resumed.phase()).isEqualTo(Phase.PROVISIONING);
        assertThat(resumed.progress().lastError()).isEmpty();
        assertThat(resumed.step()).isEqualTo(Step.CONFIG_START);
    }

    // --- profiles switch steps off

    @Test
    void profileWithoutImageConfigRegisterOrGuestshellRunsWhatIsLeft() {
        profile = new Profile("bare", Optional.empty(), Optional.empty(), true, Optional.empty(), Optional.empty());
        workflow = new Workflow(TIMINGS, SECURITY, () -> "t");
        Device d = newDevice();
        d = expect(d, Service.DEVICE_INFO, "all", info("17.6.1a", 1L), Step.UPGRADE_DONE);
        d = expect(d, Service.CONFIG_UPGRADE, "http://pnp.lab/configs/t/FGL2548L0AW.cfg", ok(), Step.CONFIG_SAVE_STARTUP);
        d = expect(d, Service.CLI_EXEC, "write memory", output("[OK]"), Step.FINISHED);
        assertThat(d.phase()).isEqualTo(Phase.PROVISIONED);
    }

    @Test
    void versionsCompareWithoutLeadingZeros() {
        assertThat(Versions.same("17.06.01a", "17.6.1a")).isTrue();
        assertThat(Versions.same("17.03.04a", "17.3.4a")).isTrue();
        assertThat(Versions.same("17.14.01a", "17.14.1a")).isTrue();
        assertThat(Versions.same("17.14.01a", "17.14.01")).isFalse();
        assertThat(Versions.same("17.09.04a", "17.9.4A")).isTrue();
        assertThat(Versions.same("17.1.1", "17.11.1")).isFalse();
    }

    // --- trust: only the answer to the request in flight moves a device; a serial alone fetches no config

    @Test
    void aResponseWithoutCorrelatorChangesNothing() {
        Device d = apply(ask(at(Step.CONFIG_REG), "c-1"));
        Decision forged = answer(workflow, profile, d, new WorkResponse(UDI, Service.CLI_EXEC, Optional.empty(),
                false, Optional.of(new DeviceError("ERROR", "PnP Service Error 1300", "forged")), ok()), contact());
        assertThat(forged.ignored()).contains(Decision.Ignored.NO_CORRELATOR);
        assertThat(forged.change().device()).isEqualTo(d);
        assertThat(forged.change().transitions()).isEmpty();
        assertThat(respond(d, Service.CLI_EXEC, output("[OK]")).change().device().step())
                .as("the real answer still counts").isEqualTo(Step.CHECK_IMAGE_VER);
    }

    @Test
    void aResponseFromAnotherAddressChangesNothingEvenWithTheRightCorrelator() {
        Device d = apply(ask(at(Step.UPGRADE_NEEDED), "c-1"));
        for (WorkResponse forged : List.of(failure(d, Service.IMAGE_INSTALL, "PnP Service Error 1816", "forged"),
                new WorkResponse(UDI, Service.FAULT, Optional.empty(), false, Optional.of(new DeviceError("FAULT",
                        "XSVC:Client", "forged")), new Report.Nothing()))) {
            Decision decision = answer(workflow, profile, d, forged, new Contact("203.0.113.66", now, LINKS));
            assertThat(decision.ignored()).contains(Decision.Ignored.OTHER_ADDRESS);
            assertThat(decision.change().device()).isEqualTo(d);
        }
        Workflow unbound = new Workflow(TIMINGS, new Security(false, Duration.ofMinutes(10),
                Security.Reappeared.HOLD, null), () -> "t");
        assertThat(answer(unbound, profile, d, failure(d, Service.IMAGE_INSTALL, "PnP Service Error 1816", "x"),
                new Contact("203.0.113.66", now, LINKS)).change().device().progress().attempts())
                .as("with pnp.security.bind-to-address=false the address is not checked").isEqualTo(1);
    }

    @Test
    void forgedFailuresNeverMoveAProvisionedDevice() {
        Device d = apply(ask(at(Step.FINISHED), "c-1"));
        for (int i = 0; i < TIMINGS.maxAttempts() + 1; i++) {
            Decision forged = answer(workflow, profile, d, failure(d, Service.BACKOFF, "PnP Service Error 1300",
                    "forged"), contact());
            assertThat(forged.ignored()).contains(Decision.Ignored.SETTLED);
            d = apply(forged);
        }
        assertThat(d.phase()).isEqualTo(Phase.PROVISIONED);
        assertThat(d.progress().attempts()).isZero();
    }

    @Test
    void aProvisionedDeviceBackInFactoryStateIsHeldForAPersonAndToldSo() {
        Device done = at(Step.FINISHED);
        Decision back = workflow.onWorkRequest(profile, Optional.of(done), new WorkRequest(UDI, "c-9", "Router", false,
                true), new Contact("198.51.100.4", now, LINKS));
        Device held = apply(back);
        assertThat(held.phase()).isEqualTo(Phase.HELD);
        assertThat(held.step()).isEqualTo(Step.FINISHED);
        assertThat(held.progress().lastError().orElse("")).startsWith("came back without a startup configuration after "
                + "it was provisioned").contains("now from 198.51.100.4")
                .endsWith("move it to NEW_DEVICE to provision it again");
        assertThat(workOf(back)).isInstanceOfSatisfying(Work.Backoff.class, b -> {
            assertThat(b.reason()).startsWith("held: came back without a startup configuration");
            assertThat(b.callbackAfter()).isEqualTo(TIMINGS.failed());
        });
        assertThat(back.change().transitions()).singleElement().satisfies(t -> {
            assertThat(t.result()).isEqualTo(Workflow.RESULT_FACTORY_STATE);
            assertThat(t.phase()).isEqualTo(Phase.HELD);
        });
        assertThat(workOf(ask(held, "c-10"))).as("still held at the next contact").isInstanceOf(Work.Backoff.class);
        assertThat(workflow.onHeld(Optional.of(held), new WorkRequest(UDI, "c-11", "Router", false, true),
                "profile isr1k is not ready", Phase.PENDING, contact()).change().device().phase())
                .as("its profile going away does not release it").isEqualTo(Phase.HELD);

        Device moved = workflow.moveByOperator(held, Step.NEW_DEVICE, "admin-api", now).change().device();
        assertThat(moved.progress().finishedAt()).isEmpty();
        assertThat(workOf(ask(moved, "c-12"))).isInstanceOf(Work.CliConfig.class);
    }

    @Test
    void aProfileDecidesForItsDevicesWhatFactoryStateMeansOverTheServersSetting() {
        Profile reprovisioning = new Profile(FULL.name(), FULL.configRegister(), FULL.image(), true, FULL.guestshell(),
                Optional.empty(), false, List.of(), Optional.of(Security.Reappeared.REPROVISION), Profile.Rollout.OPEN);
        WorkRequest factoryState = new WorkRequest(UDI, "c-9", "Router", false, true);

        assertThat(apply(workflow.onWorkRequest(profile, Optional.of(at(Step.FINISHED)), factoryState, contact())).phase())
                .as("the server's setting: hold").isEqualTo(Phase.HELD);
        assertThat(apply(workflow.onWorkRequest(reprovisioning, Optional.of(at(Step.FINISHED)), factoryState,
                contact())).step()).isEqualTo(Step.NEW_DEVICE);
    }

    @Test
    void aPersonHasAnyDeviceProvisionedAgainFromTheStartOrFromAStep() {
        Device done = at(Step.FINISHED);
        done = done.with(done.observed().withConfigApplied());
        Workflow.Move again = workflow.reprovision(done, Step.NEW_DEVICE, "alice", now);

        Device restarted = again.change().device();
        assertThat(again.refusal()).isEmpty();
        assertThat(restarted.step()).isEqualTo(Step.NEW_DEVICE);
        assertThat(restarted.phase()).isEqualTo(Phase.PROVISIONING);
        assertThat(restarted.progress().finishedAt()).isEmpty();
        assertThat(restarted.observed().configApplied()).as("done again from the start").isFalse();
        assertThat(again.change().transitions()).singleElement().satisfies(t -> {
            assertThat(t.work()).isEqualTo(Workflow.WORK_REPROVISION);
            assertThat(t.result()).isEqualTo("alice");
        });
        assertThat(workOf(ask(restarted, "c-20"))).isInstanceOf(Work.CliConfig.class);

        Device failed = workflow.reprovision(done, Step.CONFIG_START, "bob", now).change().device();
        assertThat(failed.step()).isEqualTo(Step.CONFIG_START);
        assertThat(failed.observed().configApplied()).as("what came before is kept").isTrue();
        assertThat(workOf(ask(failed, "c-21"))).isInstanceOf(Work.ConfigUpgrade.class);
    }

    @Test
    void aRequestTheStoredStateImpliesNeedsNoWriteAndItsAnswerIsKnownByItsServiceAfterARestart() {
        Device registered = expect(expect(newDevice(), Service.CLI_CONFIG, "config-register 0x2102",
                new Report.Nothing(), Step.CONFIG_REG), Service.CLI_EXEC, "write memory", new Report.Nothing(),
                Step.CHECK_IMAGE_VER);
        assertThat(registered.exchange().requestImplied()).as("its own answer was the last change").isTrue();

        Device handedOut = apply(ask(registered, "c-50"));
        assertThat(handedOut.onlyHandedOut(registered)).as("nothing to store").isTrue();

        // The server restarted (or another replica answers): nothing of c-50 is known but what the stored state says.
        WorkResponse info = new WorkResponse(UDI, Service.DEVICE_INFO, Optional.of("c-50"), true, Optional.empty(),
                new Report.DeviceInfo("17.14.1a", "bootflash:packages.conf", "0x2102", "C1131-8PWB", "FGL2548L0AW",
                        List.of()));
        Device checked = apply(answer(workflow, profile, registered, info, contact()));
        assertThat(checked.step()).isEqualTo(Step.UPGRADE_DONE);

        Decision otherService = answer(workflow, profile, registered, new WorkResponse(UDI, Service.CLI_EXEC,
                Optional.of("c-51"), true, Optional.empty(), new Report.Nothing()), contact());
        assertThat(otherService.ignored()).as("not what its step asks").contains(Decision.Ignored.NOT_AWAITED);
        assertThat(workflow.onWorkResponse(profile, registered, info, contact(), Optional.of(new Device.Pending("c-49",
                Service.DEVICE_INFO))).ignored()).as("this replica handed out c-49: c-50 answers nothing it sent")
                .contains(Decision.Ignored.NOT_AWAITED);
        assertThat(answer(workflow, profile, checked, info, contact()).ignored()).as("a repeat")
                .contains(Decision.Ignored.REPEATED);
    }

    @Test
    void afterAPersonsMoveAHoldOrAnImageStepTheRequestHandedOutIsStored() {
        Device implied = expect(newDevice(), Service.CLI_CONFIG, "config-register 0x2102", new Report.Nothing(),
                Step.CONFIG_REG);
        Device moved = workflow.moveByOperator(implied, Step.CHECK_IMAGE_VER, "admin-api", now).change().device();
        assertThat(apply(ask(moved, "c-60")).onlyHandedOut(moved)).as("after a person's move").isFalse();

        Device held = apply(workflow.onHeld(Optional.of(implied), new WorkRequest(UDI, "c-61", "Router", false, false),
                "profile isr1k is not ready", Phase.PENDING, contact()));
        assertThat(held.exchange().requestImplied()).as("after a hold").isFalse();

        Device reloading = implied.with(implied.progress().at(Step.UPGRADE_RELOADING, now));
        assertThat(apply(ask(reloading, "c-62")).onlyHandedOut(reloading)).as("in an image step").isFalse();
    }

    @Test
    void aProvisionedDeviceStillConfiguredIsNotHeld() {
        Decision routine = workflow.onWorkRequest(profile, Optional.of(at(Step.FINISHED)), new WorkRequest(UDI, "c-9",
                "branch-7", false, false), contact());
        assertThat(apply(routine).phase()).isEqualTo(Phase.PROVISIONED);
        assertThat(routine.change().transitions()).isEmpty();
    }

    @Test
    void withReprovisionAProvisionedDeviceBackInFactoryStateStartsAgain() {
        workflow = new Workflow(TIMINGS, new Security(true, Duration.ofMinutes(10), Security.Reappeared.REPROVISION, null),
                () -> "t");
        Device done = at(Step.FINISHED);
        done = done.with(done.progress().at(Step.FINISHED, now));
        Decision back = workflow.onWorkRequest(profile, Optional.of(done), new WorkRequest(UDI, "c-9", "Router", false,
                true), contact());
        assertThat(workOf(back)).isInstanceOf(Work.CliConfig.class);
        assertThat(back.change().transitions().get(0)).satisfies(t -> {
            assertThat(t.from()).isEqualTo(Step.FINISHED);
            assertThat(t.to()).isEqualTo(Step.NEW_DEVICE);
            assertThat(t.result()).isEqualTo(Workflow.RESULT_FACTORY_STATE);
        });
        assertThat(apply(back).phase()).isEqualTo(Phase.PROVISIONING);
    }

    @Test
    void everyConfigRequestSendsANewSecretAndKeepsOnlyItsHash() {
        int[] made = {0};
        workflow = new Workflow(TIMINGS, SECURITY, () -> "secret-" + (++made[0]));
        Decision first = ask(at(Step.CONFIG_START), "c-1");
        Decision again = ask(apply(first), "c-2");
        assertThat(workOf(first)).isEqualTo(new Work.ConfigUpgrade(URI.create(
                "http://pnp.lab/configs/secret-1/FGL2548L0AW.cfg")));
        assertThat(workOf(again)).isEqualTo(new Work.ConfigUpgrade(URI.create(
                "http://pnp.lab/configs/secret-2/FGL2548L0AW.cfg")));
        ConfigGrant grant = apply(again).exchange().configGrant().orElseThrow();
        assertThat(grant.tokenSha256()).hasSize(64).doesNotContain("secret");
        assertThat(grant.boundTo()).isEqualTo("10.0.0.7");
        assertThat(workflow.onConfigDownload(apply(again), "secret-1", "10.0.0.7", now).refusal())
                .as("the older URL stopped working").contains("not the URL last sent");
    }

    @Test
    void aConfigUrlWorksOnceFromItsAddressWithinItsLifetime() {
        Device sent = apply(ask(at(Step.CONFIG_START), "c-1"));
        assertThat(workflow.onConfigDownload(sent, "tok3n", "203.0.113.66", now).refusal())
                .contains("URL sent to 10.0.0.7, asked for from 203.0.113.66");
        assertThat(workflow.onConfigDownload(sent, "tok3n", "10.0.0.7", now.plus(Duration.ofMinutes(11))).refusal())
                .hasValueSatisfying(r -> assertThat(r).contains("expired after PT10M"));
        assertThat(workflow.onConfigDownload(sent, "guess", "10.0.0.7", now).refusal()).contains("not the URL last sent");

        Workflow.ConfigHandout granted = workflow.onConfigDownload(sent, "tok3n", "10.0.0.7", now);
        assertThat(granted.refusal()).isEmpty();
        Device used = granted.change().device();
        assertThat(used.exchange().configGrant()).isEmpty();
        assertThat(workflow.onConfigDownload(used, "tok3n", "10.0.0.7", now).refusal())
                .contains("no config URL outstanding (used, or never sent)");
        assertThat(workflow.onConfigDownload(at(Step.CHECK_IMAGE_VER), "tok3n", "10.0.0.7", now).refusal())
                .contains("device is in CHECK_IMAGE_VER, not CONFIG_START");
    }

    @Test
    void aReportWithAFieldTooLongToKeepIsAFailedTryNamingIt() {
        Device d = at(Step.CHECK_IMAGE_VER);
        Decision decision = respond(d, Service.DEVICE_INFO, new Report.Invalid("device-info imageFile is 314 "
                + "characters long, over the limit of 255"));
        assertThat(apply(decision).progress().attempts()).isEqualTo(1);
        assertThat(apply(decision).progress().lastError()).contains("device-info imageFile is 314 characters long, "
                + "over the limit of 255");
    }

    @Test
    void aDevicesErrorTextIsKeptUpToTwoThousandCharacters() {
        Device d = apply(ask(at(Step.CONFIG_REG), "c-1"));
        Decision failed = answer(workflow, profile, d, failure(d, Service.CLI_EXEC, "PnP Service Error 1300",
                "e".repeat(5000)), contact());
        assertThat(apply(failed).progress().lastError().orElseThrow()).hasSize(2000).endsWith("e…");
        assertThat(failed.change().transitions().get(0).error().orElseThrow()).hasSize(2000);
    }

    // --- identity: a profile with identity sudi sends nothing before the device's SUDI proof holds

    @Test
    void aDeviceProvesItsIdentityBeforeAnythingElseIsSentAndOnlyOnce() {
        profile = new Profile(FULL.name(), FULL.configRegister(), FULL.image(), true, FULL.guestshell(),
                Optional.empty(), true);
        workflow = new Workflow(TIMINGS, SECURITY, () -> "challenge-1", (pid, serial, challenge, answer, now) ->
                new IdentityProof.Verdict(challenge.equals("challenge-1") && answer.challengeResponse().equals("signed"),
                        "PID:" + pid + " SN:" + serial));
        Decision asked = ask(newDevice(), "c-1");
        assertThat(workOf(asked)).isEqualTo(new Work.DeviceAuth("challenge-1", List.of("RSA", "ECDSA"),
                List.of("SHA256", "SHA512")));
        Device sent = apply(asked);
        assertThat(sent.exchange().challenge()).contains("challenge-1");

        Decision proven = answer(workflow, profile, sent, new WorkResponse(UDI, Service.DEVICE_AUTH,
                Optional.of("c-1"), true, Optional.empty(), new Report.DeviceAuth("signed", "pem", "ECDSA", "SHA256")),
                contact());
        Device d = apply(proven);
        assertThat(d.exchange().provenAs()).contains("PID:C1131-8PWB SN:FGL2548L0AW");
        assertThat(d.exchange().challenge()).isEmpty();
        assertThat(proven.change().transitions()).singleElement().satisfies(t -> {
            assertThat(t.work()).isEqualTo("device-auth");
            assertThat(t.result()).isEqualTo("success");
        });
        assertThat(workOf(ask(d, "c-2"))).as("then the workflow, without another proof")
                .isInstanceOf(Work.CliConfig.class);
    }

    @Test
    void aProofThatDoesNotHoldIsAFailedTryAndAtTheLastTheDeviceFails() {
        profile = new Profile(FULL.name(), FULL.configRegister(), FULL.image(), true, FULL.guestshell(),
                Optional.empty(), true);
        workflow = new Workflow(TIMINGS, SECURITY, () -> "challenge", (pid, serial, challenge, answer, now) ->
                new IdentityProof.Verdict(false, "the challenge is not signed by its SUDI certificate's key"));
        Device d = newDevice();
        for (int attempt = 1; attempt <= TIMINGS.maxAttempts(); attempt++) {
            d = waitedOut(d);
            Device sent = apply(ask(d, "c-" + attempt));
            assertThat(workOf(ask(d, "c-" + attempt))).isInstanceOf(Work.DeviceAuth.class);
            d = apply(answer(workflow, profile, sent, new WorkResponse(UDI, Service.DEVICE_AUTH,
                    Optional.of("c-" + attempt), true, Optional.empty(), new Report.DeviceAuth("x", "pem", "RSA",
                            "SHA256")), contact()));
            assertThat(d.progress().lastError()).contains("SUDI proof refused: the challenge is not signed by its "
                    + "SUDI certificate's key");
        }
        assertThat(d.phase()).isEqualTo(Phase.FAILED);
        assertThat(d.exchange().provenAs()).isEmpty();
        assertThat(workOf(ask(d, "c-9"))).isInstanceOf(Work.Backoff.class);
    }

    // --- helpers: one exchange is a work request, then a work response

    /** After a failed try, the device's next work request is answered with the retry backoff. */
    private Device waitedOut(Device device) {
        if (!device.progress().backoffDue()) {
            return device;
        }
        Decision wait = ask(device, "c-" + (++exchanges));
        assertThat(workOf(wait)).isInstanceOfSatisfying(Work.Backoff.class,
                b -> assertThat(b.callbackAfter()).isEqualTo(TIMINGS.retry()));
        return apply(wait);
    }

    /** A device whose EEM applet just ran: the guestshell start's budget counts from now. */
    private Device ranEemApplet() {
        return expect(at(Step.RUN_EVENT_MANAGER), Service.CLI_EXEC, "event manager run InstallGuestShell", output(""),
                Step.WAIT_FOR_GUESTSHELL);
    }

    private Device expect(Device device, Service service, String detail, Report report, Step next) {
        Decision asked = ask(device, "c-" + (++exchanges));
        Work work = workOf(asked);
        assertThat(work.service()).as("service asked in " + device.step()).isEqualTo(service);
        assertThat(describe(work)).as("request in " + device.step()).contains(detail);
        Device sent = apply(asked);
        Decision answered = respond(sent, service, report);
        assertThat(answered.answer()).as("a response is acknowledged with bye").isInstanceOf(ServerMessage.Bye.class);
        Device after = apply(answered);
        assertThat(after.step()).as("step after " + device.step()).isEqualTo(next);
        return after;
    }

    private Decision ask(Device device, String correlator) {
        now = now.plusSeconds(1);
        return workflow.onWorkRequest(profile, Optional.of(device), new WorkRequest(UDI, correlator, "Router", false, false),
                contact());
    }

    /** The device answers its pending request, after being asked for work if nothing is pending. */
    private Decision respond(Device device, Service service, Report report) {
        Device asked = device.exchange().pending().isPresent() ? device : apply(ask(device, "c-" + (++exchanges)));
        return answer(workflow, profile, asked, response(asked, service, report), contact());
    }

    private WorkResponse response(Device device, Service service, Report report) {
        String correlator = device.exchange().pending().map(Device.Pending::correlator).orElseThrow();
        return new WorkResponse(UDI, service, Optional.of(correlator), true, Optional.empty(), report);
    }

    private static WorkResponse failure(Device device, Service service, String code, String message) {
        return new WorkResponse(UDI, service, device.exchange().pending().map(Device.Pending::correlator), false,
                Optional.of(new DeviceError("ERROR", code, message)), new Report.Nothing());
    }

    private Device newDevice() {
        return Device.discovered(UDI, "Router", contact());
    }

    private Device at(Step step) {
        Device d = newDevice();
        return d.with(d.progress().at(step, now).in(Phase.of(step)));
    }

    /** A response on a replica that handed nothing out itself (the stored state alone decides). */
    private static Decision answer(Workflow workflow, Profile profile, Device device, WorkResponse response,
                                   Contact contact) {
        return workflow.onWorkResponse(profile, device, response, contact, Optional.empty());
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

    private static String md5Output(String path, String md5) {
        return "....Done!\nverify /md5 (" + path + ") = " + md5 + "\n";
    }

    /** device-info as real routers send it: the version as given (bare or long), several file systems. */
    private static Report info(String versionString, long bootflashFree) {
        return new Report.DeviceInfo(versionString, "bootflash:packages.conf", "0x2102", "C1131-8PWB", "FGL2548L0AW",
                List.of(new Report.FileSystem("bootflash", "disk", 7194652672L, bootflashFree),
                        new Report.FileSystem("nvram", "nvram", 33554432L, 33548287L)));
    }

    private static String appList(String state) {
        return "App id                                   State\n"
                + "---------------------------------------------------------\n"
                + "utd                                      RUNNING\n"
                + "guestshell                               " + state + "\n";
    }
}

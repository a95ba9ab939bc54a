package io.pnpoperator.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

/** The simulated router on its own: what it answers to each request, as a real ISR1k agent would. */
class SimulatedRouterTest {

    static final byte[] IMAGE = "pretend this is IOS-XE".getBytes(StandardCharsets.UTF_8);
    static final byte[] SCRIPT = "print(1)".getBytes(StandardCharsets.UTF_8);
    static final Map<String, byte[]> SERVER = Map.of(
            "http://pnp/images/c1100-universalk9.17.14.01a.SPA.bin", IMAGE,
            "http://pnp/files/pxs.py", SCRIPT,
            "http://pnp/configs/t/SIM1.cfg", "event manager applet InstallGuestShell\n".getBytes(StandardCharsets.UTF_8));
    static final String RELOAD = "<reload><reason>new image</reason><delayIn>0</delayIn><user>pnp</user>"
            + "<saveConfig>true</saveConfig></reload>";

    SimulatedRouter router = new SimulatedRouter("SIM1", DeviceOptions.defaults());

    @Test
    void imageInstallVerifiesTheMd5AndTheReloadBootsTheNewVersion() {
        SimulatedRouter.Answer answer = handle(imageInstall(SimulatedRouter.md5(IMAGE), RELOAD));
        assertThat(answer.xml()).contains("success=\"1\"");
        assertThat(answer.reloadAfter()).isTrue();
        assertThat(router.version()).as("still the old image until the reload").isEqualTo("17.06.01a");
        router.reload();
        assertThat(router.version()).isEqualTo("17.14.01a");
        assertThat(handle(request("device-info", "<deviceInfo type=\"all\"/>")).xml())
                .as("the bare version string real routers send").contains("<versionString>17.14.1a</versionString>",
                        "<fileSystem name=\"bootflash\"", "freespace=\"" + (3_000_000_000L - IMAGE.length) + "\"");
    }

    @Test
    void imageInstallWithNoReloadWaitsForAReloadRequest() {
        SimulatedRouter.Answer answer = handle(imageInstall(SimulatedRouter.md5(IMAGE), "<noReload/>"));
        assertThat(answer.reloadAfter()).isFalse();
        assertThat(handle(request("reload", RELOAD)).reloadAfter()).isTrue();
    }

    @Test
    void longVersionStringWhenAskedFor() {
        router = new SimulatedRouter("SIM1", DeviceOptions.defaults().withLongVersionString());
        assertThat(handle(request("device-info", "<deviceInfo type=\"all\"/>")).xml())
                .contains("<versionString>Cisco IOS XE Software, Version 17.06.01a</versionString>");
    }

    @Test
    void damagedImageFailsTheChecksumAndIsNotBooted() {
        router = new SimulatedRouter("SIM1", DeviceOptions.defaults().withCorruptImage());
        SimulatedRouter.Answer answer = handle(imageInstall(SimulatedRouter.md5(IMAGE), RELOAD));
        assertThat(answer.xml()).contains("success=\"0\"", "PnP Service Error 1816", "Error verifying checksum for Image");
        router.reload();
        assertThat(router.version()).isEqualTo("17.06.01a");
    }

    @Test
    void verifyMd5PrintsTheHashOfTheCopyAsIosXeDoes() {
        assertThat(exec("verify /md5 bootflash:guest-share/pxs.py")).contains("%Error opening bootflash:guest-share/pxs.py");
        copyScript();
        assertThat(exec("verify /md5 bootflash:guest-share/pxs.py"))
                .contains("verify /md5 (bootflash:guest-share/pxs.py) = " + SimulatedRouter.md5(SCRIPT));
        router = new SimulatedRouter("SIM1", DeviceOptions.defaults().withCorruptFiles());
        copyScript();
        assertThat(exec("verify /md5 bootflash:guest-share/pxs.py")).doesNotContain(SimulatedRouter.md5(SCRIPT));
    }

    @Test
    void guestshellComesUpThroughTheEemAppletOverSeveralChecks() {
        assertThat(exec("show app-hosting list")).as("another app, no guestshell")
                .contains("App id                                   State", "utd                                      RUNNING")
                .doesNotContain("guestshell");
        assertThat(exec("event manager run InstallGuestShell")).as("applet not configured yet")
                .contains("success=\"0\"", "Applet InstallGuestShell not found");
        handle(request("config-upgrade", "<config details=\"all\"><copy><source><location>http://pnp/configs/t/SIM1.cfg"
                + "</location></source></copy></config><noReload/>"));
        assertThat(exec("event manager run InstallGuestShell")).contains("success=\"1\"");
        List<String> seen = new ArrayList<>();
        for (int check = 0; check < 4; check++) {
            String list = exec("show app-hosting list");
            seen.add(list.contains("guestshell") ? list.replaceAll("(?s).*guestshell\\s+(\\w+).*", "$1") : "none");
        }
        assertThat(seen).as("the applet's wait, then DEPLOYED, ACTIVATED, RUNNING")
                .containsExactly("none", "DEPLOYED", "ACTIVATED", "RUNNING");
        assertThat(exec("guestshell run python3 bootflash:guest-share/pxs.py")).contains("python3: can't open file");
        copyScript();
        assertThat(exec("guestshell run python3 bootflash:guest-share/pxs.py")).contains("script ran");
        assertThat(router.scriptRuns()).isEqualTo(1);
    }

    @Test
    void withNoAppsAtAllTheListSaysNoAppFound() {
        router = new SimulatedRouter("SIM1", DeviceOptions.defaults().withGuestshell(
                DeviceOptions.defaults().guestshell().withOtherApps(Map.of())));
        assertThat(exec("show app-hosting list")).contains("No App found");
    }

    @Test
    void aStrictAgentAnswersElementsOutsideTheSchemaWithAnXsvcFault() {
        String checksumInSource = "<fileTransfer><copy><source><location>http://pnp/files/pxs.py</location>"
                + "<checksum>0123</checksum></source><destination><location>bootflash:pxs.py</location></destination>"
                + "</copy></fileTransfer>";
        assertThat(handle(request("file-transfer", checksumInSource)).xml())
                .contains("urn:cisco:pnp:fault", "An unknown XML tag has been received");
        assertThat(handle(imageInstall(SimulatedRouter.md5(IMAGE), "")).xml()).as("neither reload nor noReload")
                .contains("urn:cisco:pnp:fault");
        assertThat(handle(request("reload", "<reload><saveConfig/></reload>")).xml()).as("saveConfig is a boolean")
                .contains("urn:cisco:pnp:fault");
        assertThat(router.refused()).hasSize(3).first().asString().contains("unexpected <checksum>");
        assertThat(router.executed()).containsEntry("file-transfer", 1);
        assertThat(router.completed()).doesNotContainKey("file-transfer");
    }

    @Test
    void aRouterThatAsksForCredentialsRefusesMessagesWithoutThem() {
        router = new SimulatedRouter("SIM1", DeviceOptions.defaults().withCredentials("pnp:s3cret"));
        assertThat(router.authRequired()).isTrue();
        assertThat(exec("write memory")).contains("urn:cisco:pnp:fault");
        String withLogin = request("cli-exec", "<execCLI maxWait=\"PT60S\" xsd=\"false\"><cmd>write memory</cmd></execCLI>")
                .replace("udi=", "usr=\"pnp\" pwd=\"s3cret\" udi=");
        assertThat(handle(withLogin).xml()).contains("success=\"1\"");
        assertThat(router.refused()).containsExactly("message without the device's usr/pwd");
    }

    @Test
    void toldToMisbehaveItAnswersAFault() {
        router = new SimulatedRouter("SIM1", DeviceOptions.defaults().withFaultOn(Set.of("cli-exec")));
        assertThat(exec("write memory")).contains("urn:cisco:pnp:fault", "<faultcode>XSVC:Client</faultcode>")
                .doesNotContain("correlator");
        assertThat(router.startupSaved()).isFalse();
    }

    @Test
    void statsReportPercentilesOfWhatWasMeasured() {
        Stats stats = new Stats();
        for (int ms = 1; ms <= 100; ms++) {
            stats.exchanged(ms * 1_000_000L);
        }
        assertThat(stats.percentileMillis(0.5)).isEqualTo(50.0);
        assertThat(stats.percentileMillis(0.99)).isEqualTo(99.0);
        assertThat(stats.exchanges()).isEqualTo(100);
    }

    private void copyScript() {
        handle(request("file-transfer", "<fileTransfer><copy><source><location>http://pnp/files/pxs.py</location>"
                + "</source><destination><location>bootflash:guest-share/pxs.py</location></destination></copy></fileTransfer>"));
    }

    private String exec(String command) {
        return handle(request("cli-exec", "<execCLI maxWait=\"PT60S\" xsd=\"false\"><cmd>" + command + "</cmd></execCLI>")).xml();
    }

    private SimulatedRouter.Answer handle(String requestXml) {
        Element pnp = Xml.parse(requestXml.getBytes(StandardCharsets.UTF_8));
        return router.handle(pnp, "c-1", uri -> SERVER.get(uri.toString()));
    }

    private static String imageInstall(String md5, String reload) {
        return request("image-install", "<image><copy><source><location>http://pnp/images/c1100-universalk9.17.14.01a.SPA.bin"
                + "</location><checksum>" + md5 + "</checksum></source><destination><location>"
                + "bootflash:c1100-universalk9.17.14.01a.SPA.bin</location></destination></copy></image>" + reload);
    }

    private static String request(String service, String body) {
        return "<pnp xmlns=\"urn:cisco:pnp\" version=\"1.0\" udi=\"PID:C1131-8PWB,VID:V01,SN:SIM1\"><request xmlns=\""
                + "urn:cisco:pnp:" + service + "\" correlator=\"c-1\">" + body + "</request></pnp>";
    }
}

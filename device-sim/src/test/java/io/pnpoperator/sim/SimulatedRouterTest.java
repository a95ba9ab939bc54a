package io.pnpoperator.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

/** The simulated router on its own: what it answers to each request, as a real ISR1k agent would. */
class SimulatedRouterTest {

    static final byte[] IMAGE = "pretend this is IOS-XE".getBytes(StandardCharsets.UTF_8);
    static final Map<String, byte[]> SERVER = Map.of(
            "http://pnp/images/c1100-universalk9.17.14.01a.SPA.bin", IMAGE,
            "http://pnp/files/pxs.py", "print(1)".getBytes(StandardCharsets.UTF_8),
            "http://pnp/configs/t/SIM1.cfg", "event manager applet InstallGuestShell\n".getBytes(StandardCharsets.UTF_8));

    SimulatedRouter router = new SimulatedRouter("SIM1", DeviceOptions.defaults());

    @Test
    void imageInstallVerifiesTheMd5AndTheReloadBootsTheNewVersion() {
        SimulatedRouter.Answer answer = handle(imageInstall(SimulatedRouter.md5(IMAGE)));
        assertThat(answer.xml()).contains("success=\"1\"");
        assertThat(answer.reloadAfter()).isTrue();
        assertThat(router.version()).as("still the old image until the reload").isEqualTo("17.06.01a");
        router.reload();
        assertThat(router.version()).isEqualTo("17.14.01a");
        assertThat(handle(request("device-info", "<deviceInfo type=\"all\"/>")).xml())
                .contains("Version 17.14.01a", "<fileSystem name=\"bootflash\"",
                        "freespace=\"" + (3_000_000_000L - IMAGE.length) + "\"");
    }

    @Test
    void damagedImageFailsTheChecksumAndIsNotBooted() {
        router = new SimulatedRouter("SIM1", DeviceOptions.defaults().withCorruptImage());
        SimulatedRouter.Answer answer = handle(imageInstall(SimulatedRouter.md5(IMAGE)));
        assertThat(answer.xml()).contains("success=\"0\"", "PnP Service Error 2004", "Image checksum verification failed");
        router.reload();
        assertThat(router.version()).isEqualTo("17.06.01a");
    }

    @Test
    void guestshellComesUpThroughTheEemAppletOfTheAppliedConfig() {
        assertThat(exec("show app-hosting list")).contains("No App found");
        assertThat(exec("event manager run InstallGuestShell")).as("applet not configured yet")
                .contains("success=\"0\"", "Applet InstallGuestShell not found");
        handle(request("config-upgrade", "<config details=\"all\"><copy><source><location>http://pnp/configs/t/SIM1.cfg"
                + "</location></source></copy></config><noReload/>"));
        assertThat(exec("event manager run InstallGuestShell")).contains("success=\"1\"");
        assertThat(exec("show app-hosting list")).contains("guestshell                               RUNNING");
        assertThat(exec("guestshell run python3 bootflash:guest-share/pxs.py")).contains("python3: can't open file");
        handle(request("file-transfer", "<fileTransfer><copy><source><location>http://pnp/files/pxs.py</location>"
                + "</source><destination><location>bootflash:guest-share/pxs.py</location></destination></copy></fileTransfer>"));
        assertThat(exec("guestshell run python3 bootflash:guest-share/pxs.py")).contains("script ran");
        assertThat(router.scriptRuns()).isEqualTo(1);
        assertThat(router.executed()).containsEntry("cli-exec", 6).containsEntry("file-transfer", 1);
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

    private String exec(String command) {
        return handle(request("cli-exec", "<execCLI maxWait=\"PT60S\" xsd=\"false\"><cmd>" + command + "</cmd></execCLI>")).xml();
    }

    private SimulatedRouter.Answer handle(String requestXml) {
        Element pnp = Xml.parse(requestXml.getBytes(StandardCharsets.UTF_8));
        return router.handle(Xml.child(pnp, "request").orElseThrow(), "c-1", uri -> SERVER.get(uri.toString()));
    }

    private static String imageInstall(String md5) {
        return request("image-install", "<image><copy><source><location>http://pnp/images/c1100-universalk9.17.14.01a.SPA.bin"
                + "</location><checksum>" + md5 + "</checksum></source><destination><location>"
                + "bootflash:c1100-universalk9.17.14.01a.SPA.bin</location></destination></copy></image>");
    }

    private static String request(String service, String body) {
        return "<pnp xmlns=\"urn:cisco:pnp\" version=\"1.0\" udi=\"PID:C1131-8PWB,VID:V01,SN:SIM1\"><request xmlns=\""
                + "urn:cisco:pnp:" + service + "\" correlator=\"c-1\">" + body + "</request></pnp>";
    }
}

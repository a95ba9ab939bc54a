package io.pnpoperator.endpoint.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pnpoperator.endpoint.protocol.ProtocolException.Problem;
import io.pnpoperator.endpoint.protocol.Report.DeviceInfo;
import io.pnpoperator.endpoint.protocol.Report.ExecOutput;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class PnpCodecTest {

    static final Udi UDI = new Udi("C1131-8PWB", "V01", "FGL2548L0AW");
    static final String CORRELATOR = "CiscoPnP-1.0-R1.1-I1-P44-T5311-";

    final PnpCodec codec = new PnpCodec(PnpCodec.DEFAULT_MAX_BYTES);

    @Test
    void everyFixtureIsCoveredByATestBelow() throws IOException {
        try (Stream<Path> files = Files.list(Fixtures.folder())) {
            assertThat(files.map(p -> p.getFileName().toString()).sorted()).containsExactly(
                    "01-work-request.xml", "02-server-cli-config.xml", "03-device-cli-config-response.xml",
                    "04-server-bye.xml", "05-server-cli-exec.xml", "06-device-cli-exec-response.xml",
                    "07-server-device-info.xml", "08-device-info-response.xml", "09-server-image-install.xml",
                    "10-server-file-transfer.xml", "11-server-config-upgrade.xml", "12-server-backoff.xml",
                    "13-device-error-response.xml", "14-device-fault.xml");
        }
    }

    // --- device messages: every sample decodes to the values it carries

    @Test
    void readsWorkRequest() throws Exception {
        assertThat(codec.readDevice(Fixtures.bytes("01-work-request.xml")))
                .isEqualTo(new WorkRequest(UDI, CORRELATOR + "1", "Router"));
    }

    @Test
    void readsCliConfigResponse() throws Exception {
        WorkResponse response = (WorkResponse) codec.readDevice(Fixtures.bytes("03-device-cli-config-response.xml"));
        assertThat(response).isEqualTo(new WorkResponse(UDI, Service.CLI_CONFIG, Optional.of(CORRELATOR + "1"), true,
                Optional.empty(), new Report.ConfigResult(List.of(
                        new Report.ConfigResult.Line(1, "config-register 0x2102", true, "")))));
    }

    @Test
    void readsCliExecOutputVerbatim() throws Exception {
        WorkResponse response = (WorkResponse) codec.readDevice(Fixtures.bytes("06-device-cli-exec-response.xml"));
        assertThat(response.service()).isEqualTo(Service.CLI_EXEC);
        assertThat(response.success()).isTrue();
        assertThat(((ExecOutput) response.report()).text()).contains("guestshell                               RUNNING");
    }

    @Test
    void readsDeviceInfoWithEveryFileSystem() throws Exception {
        WorkResponse response = (WorkResponse) codec.readDevice(Fixtures.bytes("08-device-info-response.xml"));
        DeviceInfo info = (DeviceInfo) response.report();
        assertThat(info.runningVersion()).contains("17.06.01a");
        assertThat(info.imageFile()).isEqualTo("bootflash:c1100-universalk9.17.06.01a.SPA.bin");
        assertThat(info.configRegister()).isEqualTo("0x2102");
        assertThat(info.platformName()).isEqualTo("C1131-8PWB");
        assertThat(info.boardId()).isEqualTo("FGL2548L0AW");
        assertThat(info.fileSystems()).extracting(Report.FileSystem::name).containsExactly("bootflash", "nvram", "usb0");
        assertThat(info.fileSystem("bootflash")).contains(
                new Report.FileSystem("bootflash", "disk", 7194652672L, 612368384L));
    }

    @Test
    void readsErrorInfoOfAFailedService() throws Exception {
        WorkResponse response = (WorkResponse) codec.readDevice(Fixtures.bytes("13-device-error-response.xml"));
        assertThat(response.service()).isEqualTo(Service.IMAGE_INSTALL);
        assertThat(response.success()).isFalse();
        assertThat(response.correlator()).contains(CORRELATOR + "4");
        assertThat(response.errorText()).isEqualTo("PnP Service Error 2004: Image checksum verification failed");
    }

    @Test
    void readsFaultWithoutCorrelatorAsAFailure() throws Exception {
        WorkResponse response = (WorkResponse) codec.readDevice(Fixtures.bytes("14-device-fault.xml"));
        assertThat(response.service()).isEqualTo(Service.FAULT);
        assertThat(response.success()).isFalse();
        assertThat(response.correlator()).isEmpty();
        assertThat(response.errorText()).isEqualTo("XSVC:Client: An unknown XML tag has been received");
    }

    @Test
    void attributeOrderAndPrefixesDoNotMatter() throws Exception {
        String xml = "<?xml version='1.0' encoding='utf-8'?><p:pnp udi='SN:ABC123 , PID:C1111-4P' version='1.0' "
                + "xmlns:p='urn:cisco:pnp'><w:info correlator='c-9' xmlns:w='urn:cisco:pnp:work-info'/></p:pnp>";
        assertThat(codec.readDevice(xml.getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(new WorkRequest(new Udi("C1111-4P", "", "ABC123"), "c-9", ""));
    }

    // --- server messages: what we write is the sample, element for element

    @Test
    void writesCliConfigAsTheSample() throws Exception {
        assertWritesFixture(new Work.CliConfig(List.of("config-register 0x2102")), "1", "02-server-cli-config.xml");
    }

    @Test
    void writesByeAsTheSample() throws Exception {
        assertSameXml(codec.write(new ServerMessage.Bye(UDI, CORRELATOR + "1")), Fixtures.bytes("04-server-bye.xml"));
    }

    @Test
    void writesCliExecAsTheSample() throws Exception {
        assertWritesFixture(new Work.CliExec("show app-hosting list", Duration.ofSeconds(60)), "2",
                "05-server-cli-exec.xml");
    }

    @Test
    void writesDeviceInfoAsTheSample() throws Exception {
        assertWritesFixture(new Work.DeviceInfo("all"), "3", "07-server-device-info.xml");
    }

    @Test
    void writesImageInstallAsTheSample() throws Exception {
        assertWritesFixture(new Work.ImageInstall(URI.create("http://10.2.3.4/images/c1100-universalk9.17.14.01a.SPA.bin"),
                "4b2a2e5a9d6f4f9d8e0c2b1a7f3e6d5c", "bootflash:c1100-universalk9.17.14.01a.SPA.bin"), "4",
                "09-server-image-install.xml");
    }

    @Test
    void writesFileTransferAsTheSample() throws Exception {
        assertWritesFixture(new Work.FileTransfer(URI.create("http://10.2.3.4/files/pxs.py"), Optional.empty(),
                "bootflash:guest-share/pxs.py"), "5", "10-server-file-transfer.xml");
    }

    @Test
    void writesConfigUpgradeAsTheSample() throws Exception {
        assertWritesFixture(new Work.ConfigUpgrade(URI.create("http://10.2.3.4/configs/FGL2548L0AW.cfg")), "6",
                "11-server-config-upgrade.xml");
    }

    @Test
    void writesBackoffAsTheSample() throws Exception {
        assertWritesFixture(new Work.Backoff("waiting for guestshell", Duration.ofMinutes(1)), "7",
                "12-server-backoff.xml");
    }

    @Test
    void writesReloadAndCapabilityRequests() {
        String reload = new String(codec.write(new ServerMessage.Request(UDI, "c",
                new Work.Reload("new image", Duration.ofSeconds(30), true))), StandardCharsets.UTF_8);
        assertThat(reload).contains("xmlns=\"urn:cisco:pnp:reload\"", "<reason>new image</reason>",
                "<delayIn>30</delayIn>", "<saveConfig/>");
        String capability = new String(codec.write(new ServerMessage.Request(UDI, "c", new Work.Capability())),
                StandardCharsets.UTF_8);
        assertThat(capability).contains("<request xmlns=\"urn:cisco:pnp:capability\" correlator=\"c\"></request>");
    }

    @Test
    void escapesCommandsSoTheyReachTheDeviceUnchanged() throws Exception {
        String cmd = "banner motd ^C <lab> & \"friends\" ^C";
        byte[] xml = codec.write(new ServerMessage.Request(UDI, "c-1", new Work.CliExec(cmd, Duration.ofSeconds(60))));
        XmlElement parsed = new SafeXmlReader(PnpCodec.DEFAULT_MAX_BYTES).read(xml);
        assertThat(parsed.child("request").flatMap(r -> r.textAt("execCLI", "cmd"))).contains(cmd);
    }

    // --- bad input: a typed error, never an exception of the parser

    @Test
    void refusesDoctypeAndExternalEntities() {
        String xxe = "<?xml version=\"1.0\"?><!DOCTYPE pnp [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
                + "<pnp xmlns=\"urn:cisco:pnp\" udi=\"SN:A1\"><info xmlns=\"urn:cisco:pnp:work-info\" correlator=\"&x;\"/></pnp>";
        assertProblem(xxe, Problem.DTD_REFUSED, "DOCTYPE");
    }

    @Test
    void refusesBillionLaughs() {
        String bomb = "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;&lol;\">]>"
                + "<pnp xmlns=\"urn:cisco:pnp\">&lol2;</pnp>";
        assertProblem(bomb, Problem.DTD_REFUSED, "DOCTYPE");
    }

    @Test
    void refusesBodiesOverTheLimit() {
        PnpCodec small = new PnpCodec(100);
        assertThatThrownBy(() -> small.readDevice(Fixtures.bytes("01-work-request.xml")))
                .isInstanceOfSatisfying(ProtocolException.class, e -> {
                    assertThat(e.problem()).isEqualTo(Problem.BODY_TOO_LARGE);
                    assertThat(e.getMessage()).isEqualTo("body of 508 bytes is over the limit of 100 bytes");
                });
    }

    @Test
    void namesWhatIsWrongWithMalformedMessages() {
        assertProblem("", Problem.MALFORMED_XML, "empty body");
        assertProblem("<pnp xmlns=\"urn:cisco:pnp\"><info>", Problem.MALFORMED_XML, "malformed XML");
        assertProblem("<hello/>", Problem.UNSUPPORTED_MESSAGE, "root element must be <pnp");
        assertProblem("<pnp xmlns=\"urn:cisco:pnp\" udi=\"PID:X,VID:V\"><info xmlns=\"urn:cisco:pnp:work-info\" "
                + "correlator=\"c\"/></pnp>", Problem.MISSING_FIELD, "has no SN");
        assertProblem("<pnp xmlns=\"urn:cisco:pnp\" udi=\"SN:A1\"><info xmlns=\"urn:cisco:pnp:work-info\"/></pnp>",
                Problem.MISSING_FIELD, "missing correlator");
        assertProblem("<pnp xmlns=\"urn:cisco:pnp\" udi=\"SN:A1\"><response xmlns=\"urn:cisco:pnp:teleport\" "
                + "success=\"1\"/></pnp>", Problem.UNSUPPORTED_MESSAGE, "unknown service namespace 'urn:cisco:pnp:teleport'");
        assertProblem("<pnp xmlns=\"urn:cisco:pnp\" udi=\"SN:A1\"><response xmlns=\"urn:cisco:pnp:cli-exec\" "
                + "success=\"yes\"/></pnp>", Problem.MALFORMED_XML, "success must be 1 or 0");
        assertProblem("<pnp xmlns=\"urn:cisco:pnp\" udi=\"SN:../../etc\"><info xmlns=\"urn:cisco:pnp:work-info\" "
                + "correlator=\"c\"/></pnp>", Problem.MISSING_FIELD, "is not 1 to 32 letters and digits");
        assertProblem("<pnp xmlns=\"urn:cisco:pnp\">" + "<a>".repeat(40) + "</a>".repeat(40) + "</pnp>",
                Problem.MALFORMED_XML, "nested deeper than 32");
    }

    private void assertProblem(String xml, Problem problem, String messagePart) {
        assertThatThrownBy(() -> codec.readDevice(xml.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(ProtocolException.class, e -> {
                    assertThat(e.problem()).isEqualTo(problem);
                    assertThat(e.getMessage()).contains(messagePart);
                });
    }

    private void assertWritesFixture(Work work, String correlatorSuffix, String fixture) throws Exception {
        assertSameXml(codec.write(new ServerMessage.Request(UDI, CORRELATOR + correlatorSuffix, work)),
                Fixtures.bytes(fixture));
    }

    /** Same elements, namespaces, attributes and text; whitespace between elements does not count. */
    private static void assertSameXml(byte[] actual, byte[] expected) throws ProtocolException {
        SafeXmlReader reader = new SafeXmlReader(PnpCodec.DEFAULT_MAX_BYTES);
        assertThat(shape(reader.read(actual))).isEqualTo(shape(reader.read(expected)));
    }

    private static Map<String, Object> shape(XmlElement e) {
        return Map.of("element", "{" + e.namespace() + "}" + e.name(), "attributes", e.attributes(),
                "text", e.text().trim(), "children", e.children().stream().map(PnpCodecTest::shape).toList());
    }
}

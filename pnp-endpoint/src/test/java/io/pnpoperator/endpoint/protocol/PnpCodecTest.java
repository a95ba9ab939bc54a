package io.pnpoperator.endpoint.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pnpoperator.endpoint.protocol.ProtocolException.Problem;
import io.pnpoperator.endpoint.protocol.Report.DeviceInfo;
import io.pnpoperator.endpoint.protocol.Report.ExecOutput;
import io.pnpoperator.sim.RequestSchema;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

class PnpCodecTest {

    static final Udi UDI = new Udi("C1131-8PWB", "V01", "FGL2548L0AW");
    static final String IMAGE_URL = "http://192.0.2.10:8080/images/c1100-universalk9.17.14.01a.SPA.bin";
    static final String IMAGE_DESTINATION = "bootflash:c1100-universalk9.17.14.01a.SPA.bin";
    static final String IMAGE_MD5 = "4b2a2e5a9d6f4f9d8e0c2b1a7f3e6d5c";
    static final Work.Reload BOOT = new Work.Reload("pnp-operator: boot c1100-universalk9.17.14.01a.SPA.bin",
            Duration.ZERO, true);

    final PnpCodec codec = new PnpCodec(PnpCodec.DEFAULT_MAX_BYTES);

    /** Each sample and the test that covers it: a sample nobody reads fails here. */
    static final List<String> COVERED = List.of(
            "device-app-hosting-guestshell-activated.xml", "device-app-hosting-no-app.xml",
            "device-app-hosting-other-apps.xml", "device-auth-response.xml", "device-cli-config-failed-line.xml",
            "device-cli-config-response.xml",
            "device-fault.xml", "device-image-install-checksum-error.xml", "device-info-bare-version.xml",
            "device-info-long-version.xml", "device-verify-md5.xml", "device-work-request-auth-required.xml",
            "device-work-request-factory-reset.xml",
            "server-backoff.xml", "server-bye-with-credentials.xml", "server-bye.xml", "server-cli-config.xml",
            "server-cli-exec.xml", "server-config-upgrade.xml", "server-device-auth.xml", "server-device-info.xml",
            "server-file-transfer.xml", "server-image-install-no-reload.xml", "server-image-install-reload.xml",
            "server-reload.xml");

    @Test
    void everySampleIsCoveredByATestBelow() {
        assertThat(Samples.names()).containsExactlyElementsOf(COVERED);
    }

    @Test
    void everySampleSaysWhereItsShapeComesFrom() {
        for (String name : Samples.names()) {
            assertThat(new String(Samples.bytes(name), StandardCharsets.UTF_8)).as(name).startsWith("<!-- shape: ");
        }
    }

    // --- device messages: every sample decodes to the values it carries

    @Test
    void readsAFactoryResetWorkRequest() throws Exception {
        assertThat(codec.readDevice(Samples.bytes("device-work-request-factory-reset.xml")))
                .isEqualTo(new WorkRequest(UDI, "CiscoPnP-1.0-R33.200930-I1-P592-T43891-2", "Router", false,
                        true));
    }

    @Test
    void readsAuthRequired() throws Exception {
        assertThat(codec.readDevice(Samples.bytes("device-work-request-auth-required.xml"))).isEqualTo(new WorkRequest(
                new Udi("C1111-8P", "V02", "FGL2231A0BC"), "CiscoPnP-1.0-1465-25A1212C", "branch-17", true, false));
    }

    @Test
    void readsCliConfigResponse() throws Exception {
        WorkResponse response = (WorkResponse) codec.readDevice(Samples.bytes("device-cli-config-response.xml"));
        assertThat(response).isEqualTo(new WorkResponse(UDI, Service.CLI_CONFIG, Optional.of("CiscoPnP-1.0-R33-1"), true,
                Optional.empty(), new Report.ConfigResult(List.of(
                        new Report.ConfigResult.Line(1, "config-register 0x2102", true, "")))));
    }

    @Test
    void readsAFailedConfigLineWithItsCodeAndTheCliText() throws Exception {
        WorkResponse response = (WorkResponse) codec.readDevice(Samples.bytes("device-cli-config-failed-line.xml"));
        assertThat(((Report.ConfigResult) response.report()).lines()).containsExactly(new Report.ConfigResult.Line(1,
                "config-register 0x2102", false, "CLI_SYNTAX_ERROR: % Invalid input detected at '^' marker."));
    }

    @Test
    void readsAppHostingTablesVerbatim() throws Exception {
        assertThat(execOutput("device-app-hosting-no-app.xml")).isEqualTo("No App found\n");
        assertThat(execOutput("device-app-hosting-other-apps.xml")).contains("utd                                      RUNNING",
                "syslogng                                 DEPLOYED");
        assertThat(execOutput("device-app-hosting-guestshell-activated.xml"))
                .contains("guestshell                               ACTIVATED");
        assertThat(execOutput("device-verify-md5.xml"))
                .endsWith("verify /md5 (bootflash:guest-share/pxs.py) = 6f1ed002ab5595859014ebf0951522d9\n");
    }

    @Test
    void readsDeviceInfoWithABareVersionAndEveryFileSystem() throws Exception {
        WorkResponse response = (WorkResponse) codec.readDevice(Samples.bytes("device-info-bare-version.xml"));
        DeviceInfo info = (DeviceInfo) response.report();
        assertThat(info.versionString()).isEqualTo("17.3.4a");
        assertThat(info.runningVersion()).contains("17.3.4a");
        assertThat(info.imageFile()).isEqualTo("bootflash:packages.conf");
        assertThat(info.configRegister()).isEqualTo("0x2102");
        assertThat(info.platformName()).isEqualTo("C1131-8PWB");
        assertThat(info.fileSystems()).extracting(Report.FileSystem::name).containsExactly("bootflash", "webui", "nvram");
        assertThat(info.fileSystem("bootflash")).contains(
                new Report.FileSystem("bootflash", "disk", 6286540800L, 5438058496L));
    }

    @Test
    void readsTheVersionOutOfTheLongBanner() throws Exception {
        WorkResponse response = (WorkResponse) codec.readDevice(Samples.bytes("device-info-long-version.xml"));
        assertThat(((DeviceInfo) response.report()).runningVersion()).contains("17.6.1a");
    }

    @Test
    void readsEveryShapeOfVersionStringIosXeUses() {
        Map<String, Optional<String>> shapes = new LinkedHashMap<>();
        shapes.put("17.3.4a", Optional.of("17.3.4a"));
        shapes.put("17.14.1a", Optional.of("17.14.1a"));
        shapes.put("17.03.04a", Optional.of("17.03.04a"));
        shapes.put("16.12.4", Optional.of("16.12.4"));
        shapes.put("Cisco IOS XE Software, Version 17.06.01a", Optional.of("17.06.01a"));
        shapes.put("Cisco IOS Software [Amsterdam], ISR Software (X86_64_LINUX_IOSD-UNIVERSALK9-M), Version 17.3.4a, "
                + "RELEASE SOFTWARE (fc3)", Optional.of("17.3.4a"));
        shapes.put("Cisco IOS Software [Cupertino], c8000be Software (X86_64_LINUX_IOSD-UNIVERSALK9-M), Version "
                + "17.9.4a, RELEASE SOFTWARE (fc3)", Optional.of("17.9.4a"));
        shapes.put("Amsterdam 17.3.4a", Optional.of("17.3.4a"));
        shapes.put("Cisco IOS XE Software", Optional.empty());
        shapes.put("", Optional.empty());
        shapes.forEach((text, version) -> assertThat(new DeviceInfo(text, "", "", "", "", List.of()).runningVersion())
                .as(text).isEqualTo(version));
    }

    @Test
    void readsErrorInfoOfAFailedService() throws Exception {
        WorkResponse response = (WorkResponse) codec.readDevice(Samples.bytes("device-image-install-checksum-error.xml"));
        assertThat(response.service()).isEqualTo(Service.IMAGE_INSTALL);
        assertThat(response.success()).isFalse();
        assertThat(response.correlator()).contains("CiscoPnP-1.0-R33-4");
        assertThat(response.errorText()).isEqualTo("PnP Service Error 1816: Error verifying checksum for Image");
    }

    @Test
    void readsFaultWithoutCorrelatorAsAFailure() throws Exception {
        WorkResponse response = (WorkResponse) codec.readDevice(Samples.bytes("device-fault.xml"));
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
                .isEqualTo(new WorkRequest(new Udi("C1111-4P", "", "ABC123"), "c-9", "", false, false));
    }

    // --- server messages: what we write is the sample, element for element, and a strict agent accepts it

    @Test
    void writesCliConfigAsTheSample() throws Exception {
        assertWrites(request("CiscoPnP-1.0-R33-1", new Work.CliConfig(List.of("config-register 0x2102"))),
                "server-cli-config.xml");
    }

    @Test
    void writesByeAsTheSample() throws Exception {
        assertWrites(new ServerMessage.Bye(UDI, "CiscoPnP-1.0-R33-1", Optional.empty()), "server-bye.xml");
    }

    @Test
    void writesTheDevicesLoginOnTheEnvelopeWhenItAsksForOne() throws Exception {
        assertWrites(new ServerMessage.Bye(UDI, "CiscoPnP-1.0-R33-1", Optional.of(new Credentials("pnp", "s3cret"))),
                "server-bye-with-credentials.xml");
        assertThat(new Credentials("pnp", "s3cret").toString()).doesNotContain("s3cret");
    }

    @Test
    void writesCliExecAsTheSample() throws Exception {
        assertWrites(request("CiscoPnP-1.0-R33-2", new Work.CliExec("show app-hosting list", Duration.ofSeconds(60))),
                "server-cli-exec.xml");
    }

    @Test
    void writesDeviceInfoAsTheSample() throws Exception {
        assertWrites(request("CiscoPnP-1.0-R33-3", new Work.DeviceInfo("all")), "server-device-info.xml");
    }

    @Test
    void writesImageInstallWithItsReloadOrNoReload() throws Exception {
        assertWrites(request("CiscoPnP-1.0-R33-4", new Work.ImageInstall(URI.create(IMAGE_URL), IMAGE_MD5,
                IMAGE_DESTINATION, Optional.of(BOOT))), "server-image-install-reload.xml");
        assertWrites(request("CiscoPnP-1.0-R33-4", new Work.ImageInstall(URI.create(IMAGE_URL), IMAGE_MD5,
                IMAGE_DESTINATION, Optional.empty())), "server-image-install-no-reload.xml");
    }

    @Test
    void writesDeviceAuthAsTheSample() throws Exception {
        assertWrites(request("CiscoPnP-1.0-R33-7", new Work.DeviceAuth(
                "6f1c9a0e8b7d4c3f2a1e0d9c8b7a6f5e4d3c2b1a0f9e8d7c6b5a4f3e2d1c0b9a", List.of("RSA", "ECDSA"),
                List.of("SHA256", "SHA512"))), "server-device-auth.xml");
    }

    @Test
    void readsADeviceAuthResponse() throws Exception {
        WorkResponse response = (WorkResponse) codec.readDevice(Samples.bytes("device-auth-response.xml"));
        assertThat(response.service()).isEqualTo(Service.DEVICE_AUTH);
        assertThat(response.correlator()).contains("CiscoPnP-1.0-R33-7");
        assertThat(response.report()).isEqualTo(new Report.DeviceAuth(
                "MEUCIQDx3k8Tn4o5k2l0Zm9yIGEgcmVhbCByb3V0ZXIgdG8gc2lnbg==",
                "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUJ4ekNDQVcyZ0F3SUJBZ0lKQU1BPQotLS0tLUVORCBDRVJUSUZJQ0FURS0tLS0tCg==",
                "ECDSA", "SHA256"));
    }

    @Test
    void writesReloadWithSaveConfigAsABoolean() throws Exception {
        assertWrites(request("CiscoPnP-1.0-R33-5", BOOT), "server-reload.xml");
    }

    @Test
    void writesFileTransferWithALocationOnlyAsTheSchemaAllows() throws Exception {
        assertWrites(request("CiscoPnP-1.0-R33-6", new Work.FileTransfer(URI.create("http://192.0.2.10:8080/files/pxs.py"),
                "bootflash:guest-share/pxs.py")), "server-file-transfer.xml");
    }

    @Test
    void writesConfigUpgradeAsTheSample() throws Exception {
        assertWrites(request("CiscoPnP-1.0-R33-7", new Work.ConfigUpgrade(
                URI.create("http://192.0.2.10:8080/configs/tok3n/FGL2548L0AW.cfg"))), "server-config-upgrade.xml");
    }

    @Test
    void writesBackoffAsTheSample() throws Exception {
        assertWrites(request("CiscoPnP-1.0-R33-8", new Work.Backoff("waiting for guestshell", Duration.ofMinutes(1))),
                "server-backoff.xml");
    }

    @Test
    void aBackoffLongerThanTheSchemaCanSayIsRefused() {
        assertThatThrownBy(() -> new Work.Backoff("too long", Duration.ofHours(48)))
                .hasMessageContaining("47 h 59 min 59 s");
        assertThat(RequestSchema.problem(dom(codec.write(request("c", new Work.Backoff("longest", Work.Backoff.LONGEST))))))
                .isEmpty();
    }

    @Test
    void escapesCommandsSoTheyReachTheDeviceUnchanged() throws Exception {
        String cmd = "banner motd ^C <lab> & \"friends\" ^C";
        byte[] xml = codec.write(request("c-1", new Work.CliExec(cmd, Duration.ofSeconds(60))));
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
        byte[] sample = Samples.bytes("device-work-request-factory-reset.xml");
        assertThatThrownBy(() -> small.readDevice(sample))
                .isInstanceOfSatisfying(ProtocolException.class, e -> {
                    assertThat(e.problem()).isEqualTo(Problem.BODY_TOO_LARGE);
                    assertThat(e.getMessage()).isEqualTo("body of " + sample.length + " bytes is over the limit of 100 bytes");
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

    @Test
    void fieldsLongerThanTheStoresKeepAreRefusedByName() {
        String info = "<info xmlns=\"urn:cisco:pnp:work-info\" correlator=\"%s\"><deviceId><hostname>%s</hostname>"
                + "</deviceId></info>";
        assertProblem(pnp("PID:" + "C".repeat(65) + ",SN:A1", info.formatted("c", "r")), Problem.FIELD_TOO_LONG,
                "UDI PID is 65 characters long, over the limit of 64 (starts 'CCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCC…')");
        assertProblem(pnp("PID:X,VID:" + "V".repeat(17) + ",SN:A1", info.formatted("c", "r")), Problem.FIELD_TOO_LONG,
                "UDI VID is 17 characters long");
        assertProblem(pnp("SN:A1", info.formatted("c".repeat(256), "r")), Problem.FIELD_TOO_LONG,
                "correlator is 256 characters long, over the limit of 255");
        assertProblem(pnp("SN:A1", info.formatted("c", "h".repeat(300))), Problem.FIELD_TOO_LONG,
                "hostname is 300 characters long, over the limit of 255");
        assertProblem(pnp("SN:A1", "<response xmlns=\"urn:cisco:pnp:cli-exec\" success=\"1\" correlator=\""
                + "c".repeat(1000) + "\"/>"), Problem.FIELD_TOO_LONG, "correlator is 1000 characters long");
    }

    @Test
    void aDeviceInfoWithAFieldTooLongToKeepIsAnInvalidReport() throws Exception {
        String body = pnp("SN:FGL2548L0AW", "<response xmlns=\"urn:cisco:pnp:device-info\" correlator=\"c-1\" "
                + "success=\"1\"><imageInfo><versionString>17.14.1a</versionString><imageFile>bootflash:"
                + "x".repeat(300) + ".bin</imageFile></imageInfo></response>");
        WorkResponse response = (WorkResponse) codec.readDevice(body.getBytes(StandardCharsets.UTF_8));
        assertThat(response.report()).isInstanceOfSatisfying(Report.Invalid.class, invalid -> assertThat(
                invalid.problem()).startsWith("device-info imageFile is 314 characters long, over the limit of 255"));
    }

    @Test
    void serialsAreUpperCaseWhateverTheDeviceWrites() throws Exception {
        assertThat(codec.readDevice(pnp("PID:C1111-8P,SN:fgl2231a0bc", "<info xmlns=\"urn:cisco:pnp:work-info\" "
                + "correlator=\"c\"/>").getBytes(StandardCharsets.UTF_8)).udi().serial()).isEqualTo("FGL2231A0BC");
    }

    private static String pnp(String udi, String body) {
        return "<pnp xmlns=\"urn:cisco:pnp\" version=\"1.0\" udi=\"" + udi + "\">" + body + "</pnp>";
    }

    private void assertProblem(String xml, Problem problem, String messagePart) {
        assertThatThrownBy(() -> codec.readDevice(xml.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(ProtocolException.class, e -> {
                    assertThat(e.problem()).isEqualTo(problem);
                    assertThat(e.getMessage()).contains(messagePart);
                });
    }

    private static ServerMessage request(String correlator, Work work) {
        return new ServerMessage.Request(UDI, correlator, work, Optional.empty());
    }

    /** Element for element the sample, and accepted by a strict agent's reading of Cisco's schemas. */
    private void assertWrites(ServerMessage message, String sample) throws Exception {
        byte[] written = codec.write(message);
        assertSameXml(written, Samples.bytes(sample));
        assertThat(RequestSchema.problem(dom(written))).as(sample + " against the schema's rules").isEmpty();
    }

    private String execOutput(String sample) throws Exception {
        return ((ExecOutput) ((WorkResponse) codec.readDevice(Samples.bytes(sample))).report()).text();
    }

    private static Element dom(byte[] xml) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            return factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml)).getDocumentElement();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
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

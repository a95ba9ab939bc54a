package io.pnpoperator.endpoint.protocol;

import io.pnpoperator.endpoint.protocol.ProtocolException.Problem;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** Turns device XML into {@link DeviceMessage}s and {@link ServerMessage}s into XML. Thread-safe. */
public final class PnpCodec {

    /** Default limit of a device message; the largest real one, device-info, is a few KiB. */
    public static final int DEFAULT_MAX_BYTES = 1024 * 1024;

    private final SafeXmlReader reader;

    public PnpCodec(int maxBytes) {
        this.reader = new SafeXmlReader(maxBytes);
    }

    public DeviceMessage readDevice(byte[] body) throws ProtocolException {
        XmlElement pnp = reader.read(body);
        if (!pnp.name().equals("pnp") || !pnp.namespace().equals(Service.PNP_NAMESPACE)) {
            throw new ProtocolException(Problem.UNSUPPORTED_MESSAGE,
                    "root element must be <pnp xmlns=\"" + Service.PNP_NAMESPACE + "\">, found <" + pnp.name() + ">");
        }
        for (XmlElement body1 : pnp.children()) {
            if (body1.name().equals("info") && body1.namespace().equals(Service.WORK_INFO.namespace())) {
                return readWorkRequest(pnp, body1);
            }
            if (body1.name().equals("response")) {
                return readResponse(pnp, body1);
            }
        }
        throw new ProtocolException(Problem.UNSUPPORTED_MESSAGE,
                "expected a work-info <info> or a <response> inside <pnp>");
    }

    public byte[] write(ServerMessage message) {
        return ServerXmlWriter.write(message).getBytes(StandardCharsets.UTF_8);
    }

    private static WorkRequest readWorkRequest(XmlElement pnp, XmlElement info) throws ProtocolException {
        Optional<String> udiText = pnp.attribute("udi").or(() -> info.textAt("deviceId", "udi"));
        Udi udi = Udi.parse(udiText.orElseThrow(() -> missing("udi")));
        String correlator = info.attribute("correlator").filter(c -> !c.isBlank())
                .orElseThrow(() -> missing("correlator on <info>"));
        Limits.check("correlator", correlator, Limits.CORRELATOR);
        String hostname = info.textAt("deviceId", "hostname").orElse("");
        Limits.check("hostname", hostname, Limits.HOSTNAME);
        boolean authRequired = info.textAt("deviceId", "authRequired").filter(a -> a.equalsIgnoreCase("true")).isPresent();
        boolean noStartupConfig = info.textAt("reason", "reload", "startupConfigPresent")
                .filter(present -> present.equalsIgnoreCase("false")).isPresent();
        return new WorkRequest(udi, correlator, hostname, authRequired, noStartupConfig);
    }

    private static WorkResponse readResponse(XmlElement pnp, XmlElement response) throws ProtocolException {
        Udi udi = Udi.parse(pnp.attribute("udi").orElseThrow(() -> missing("udi on <pnp>")));
        Service service = Service.fromNamespace(response.namespace()).orElseThrow(() -> new ProtocolException(
                Problem.UNSUPPORTED_MESSAGE, "unknown service namespace '" + response.namespace() + "'"));
        Optional<String> correlator = response.attribute("correlator").filter(c -> !c.isBlank());
        if (correlator.isPresent()) {
            Limits.check("correlator", correlator.get(), Limits.CORRELATOR);
        }
        if (service == Service.FAULT) {
            XmlElement fault = response.child("fault").orElseThrow(() -> missing("<fault> in a fault response"));
            DeviceError error = new DeviceError("FAULT", fault.textAt("faultcode").orElse(""),
                    fault.textAt("faultstring").orElse(""));
            return new WorkResponse(udi, service, correlator, false, Optional.of(error), new Report.Nothing());
        }
        String success = response.attribute("success").orElseThrow(() -> missing("success on <response>"));
        if (!success.equals("1") && !success.equals("0")) {
            throw new ProtocolException(Problem.MALFORMED_XML, "success must be 1 or 0, found '" + success + "'");
        }
        Optional<DeviceError> error = response.child("errorInfo").map(e -> new DeviceError(
                e.textAt("errorSeverity").orElse(""), e.textAt("errorCode").orElse(""),
                e.textAt("errorMessage").orElse("")));
        return new WorkResponse(udi, service, correlator, success.equals("1"), error, readReport(service, response));
    }

    private static Report readReport(Service service, XmlElement response) throws ProtocolException {
        return switch (service) {
            case CLI_CONFIG -> new Report.ConfigResult(response.children("resultEntry").map(PnpCodec::readLine).toList());
            case CLI_EXEC -> new Report.ExecOutput(String.join("", response.child("execLog").stream()
                    .flatMap(log -> log.children("dialogueLog"))
                    .map(d -> d.child("received").flatMap(r -> r.child("text")).map(XmlElement::text).orElse(""))
                    .toList()));
            case DEVICE_INFO -> readDeviceInfo(response);
            case DEVICE_AUTH -> new Report.DeviceAuth(response.textAt("auth", "challenge-response").orElse(""),
                    response.textAt("auth", "sudi-cert").orElse(""), response.textAt("auth", "encryption-method")
                    .orElse(""), response.textAt("auth", "hashing-method").orElse(""));
            default -> new Report.Nothing();
        };
    }

    /**
     * One {@code resultEntry}: {@code success}, or {@code failure} (its {@code errorCode} attribute) with the
     * CLI's own text in the sibling {@code text} element, as the cli-config schema has it.
     */
    private static Report.ConfigResult.Line readLine(XmlElement entry) {
        int number = entry.attribute("lineNumber").map(PnpCodec::parseIntOrZero).orElse(0);
        boolean ok = entry.child("success").isPresent();
        String error = ok ? "" : String.join(": ", Stream.of(
                        entry.child("failure").flatMap(f -> f.attribute("errorCode")).orElse(""),
                        entry.textAt("text").orElse(""))
                .filter(part -> !part.isBlank()).toList());
        return new Report.ConfigResult.Line(number, entry.attribute("cliString").orElse(""), ok, error);
    }

    /**
     * device-info, or {@link Report.Invalid} naming a field too long to keep: a report the device made, so it is
     * the device's failed try (counted, with the reason), not a refused message.
     */
    private static Report readDeviceInfo(XmlElement response) throws ProtocolException {
        List<Report.FileSystem> fileSystems = new ArrayList<>();
        for (XmlElement fs : response.child("fileSystemList").map(XmlElement::children).orElse(List.of())) {
            fileSystems.add(new Report.FileSystem(fs.attribute("name").orElse(""), fs.attribute("type").orElse(""),
                    parseLong(fs, "size"), parseLong(fs, "freespace")));
        }
        String imageFile = response.textAt("imageInfo", "imageFile").orElse("");
        String platformName = response.textAt("hardwareInfo", "platformName").orElse("");
        String tooLong = Optional.ofNullable(Limits.problem("device-info imageFile", imageFile, Limits.IMAGE_FILE))
                .orElse(Limits.problem("device-info platformName", platformName, Limits.PID));
        if (tooLong != null) {
            return new Report.Invalid(tooLong);
        }
        return new Report.DeviceInfo(
                response.textAt("imageInfo", "versionString").orElse(""),
                imageFile,
                response.textAt("imageInfo", "configReg").orElse(""),
                platformName,
                response.textAt("hardwareInfo", "boardId").orElse(""),
                List.copyOf(fileSystems));
    }

    private static long parseLong(XmlElement element, String attribute) throws ProtocolException {
        String value = element.attribute(attribute).orElse("0");
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new ProtocolException(Problem.MALFORMED_XML,
                    "fileSystem " + attribute + " '" + value + "' is not a number");
        }
    }

    private static int parseIntOrZero(String text) {
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static ProtocolException missing(String what) {
        return new ProtocolException(Problem.MISSING_FIELD, "missing " + what);
    }
}

package io.pnpoperator.sim;

import java.io.IOException;
import java.net.URI;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.w3c.dom.Element;

/**
 * A factory-fresh ISR1k as its PnP agent behaves: it runs what the server asks, copies files over HTTP
 * into a bootflash of limited size, checks MD5s, and reloads into a new image. One device, one thread.
 */
public final class SimulatedRouter {

    /** Fetches a URL; the agent gives its HTTP client. */
    interface Downloads {
        byte[] get(URI source) throws IOException;
    }

    /** What the server asked, as the router answers it: the response XML and what must happen after. */
    record Answer(String xml, boolean reloadAfter) {
    }

    private static final String NS = "urn:cisco:pnp:";
    private static final Pattern IMAGE_VERSION = Pattern.compile("\\.(\\d+\\.\\d+\\.\\d+[a-z]?)\\.");

    private final String serial;
    private final DeviceOptions options;
    private final Map<String, String> bootflash = new ConcurrentHashMap<>();
    private final Map<String, Integer> executed = new ConcurrentHashMap<>();
    private final Map<String, Integer> completed = new ConcurrentHashMap<>();
    private String version;
    private String imageFile;
    private String bootImage;
    private long free;
    private String configRegister = "0x2142";
    private String runningConfig = "";
    private boolean startupSaved;
    private String guestshell = "NONE";
    private int scriptRuns;

    public SimulatedRouter(String serial, DeviceOptions options) {
        this.serial = serial;
        this.options = options;
        this.version = options.version();
        this.imageFile = "bootflash:c1100-universalk9." + version + ".SPA.bin";
        this.free = options.bootflashFree();
    }

    public String serial() {
        return serial;
    }

    public String udi() {
        return "PID:" + options.pid() + ",VID:V01,SN:" + serial;
    }

    public String version() {
        return version;
    }

    public String guestshell() {
        return guestshell;
    }

    public int scriptRuns() {
        return scriptRuns;
    }

    public String configRegister() {
        return configRegister;
    }

    public boolean startupSaved() {
        return startupSaved;
    }

    public String runningConfig() {
        return runningConfig;
    }

    /** Files on bootflash and their MD5s, e.g. {@code bootflash:guest-share/pxs.py}. */
    public Map<String, String> bootflash() {
        return Map.copyOf(bootflash);
    }

    /** How many requests of each service (e.g. {@code image-install}) the router was given, failed ones included. */
    public Map<String, Integer> executed() {
        return Map.copyOf(executed);
    }

    /** How many requests of each service the router carried out successfully. */
    public Map<String, Integer> completed() {
        return Map.copyOf(completed);
    }

    /** Boots the image the last install set, as after a reload. */
    void reload() {
        if (bootImage != null) {
            imageFile = bootImage;
            Matcher m = IMAGE_VERSION.matcher(bootImage);
            if (m.find()) {
                version = m.group(1);
            }
        }
    }

    Answer handle(Element request, String correlator, Downloads downloads) {
        String service = request.getNamespaceURI() == null ? "" : request.getNamespaceURI().replace(NS, "");
        executed.merge(service, 1, Integer::sum);
        if (options.faultOn().contains(service)) {
            return new Answer(fault("An unknown XML tag has been received"), false);
        }
        try {
            Answer answer = switch (service) {
                case "cli-config" -> new Answer(cliConfig(request, correlator), false);
                case "cli-exec" -> new Answer(cliExec(request, correlator), false);
                case "device-info" -> new Answer(success(service, correlator, deviceInfo()), false);
                case "image-install" -> imageInstall(request, correlator, downloads);
                case "file-transfer" -> new Answer(fileTransfer(request, correlator, downloads), false);
                case "config-upgrade" -> new Answer(configUpgrade(request, correlator, downloads), false);
                case "backoff", "capability" -> new Answer(success(service, correlator, ""), false);
                case "reload" -> new Answer(success(service, correlator, ""), true);
                default -> new Answer(fault("An unknown XML tag has been received"), false);
            };
            completed.merge(service, 1, Integer::sum);
            return answer;
        } catch (DeviceException e) {
            return new Answer(error(service, correlator, e.code, e.getMessage()), false);
        }
    }

    private String cliConfig(Element request, String correlator) {
        StringBuilder results = new StringBuilder();
        List<Element> commands = Xml.child(request, "configApply").flatMap(a -> Xml.child(a, "config-data"))
                .flatMap(d -> Xml.child(d, "cli-config-data")).map(Xml::children).orElse(List.of());
        int line = 0;
        for (Element cmd : commands) {
            String text = cmd.getTextContent().trim();
            line++;
            if (text.startsWith("config-register ")) {
                configRegister = text.substring("config-register ".length()).trim();
            }
            runningConfig += text + "\n";
            results.append("<resultEntry lineNumber=\"").append(line).append("\" cliString=\"")
                    .append(Xml.escape(text)).append("\"><success/></resultEntry>");
        }
        return success("cli-config", correlator, results.toString());
    }

    private String cliExec(Element request, String correlator) throws DeviceException {
        String cmd = Xml.text(request, "execCLI", "cmd").orElse("");
        String output;
        if (cmd.equals("write memory")) {
            startupSaved = true;
            output = "Building configuration...\n[OK]\n";
        } else if (cmd.equals("show app-hosting list")) {
            output = guestshell.equals("NONE") ? "No App found\n" : "App id                                   State\n"
                    + "---------------------------------------------------------\n"
                    + "guestshell                               " + guestshell + "\n";
        } else if (cmd.startsWith("event manager run ")) {
            String applet = cmd.substring("event manager run ".length()).trim();
            if (!runningConfig.contains("event manager applet " + applet)) {
                throw new DeviceException("CLI_EXEC_ERROR", "% Applet " + applet + " not found");
            }
            guestshell = options.guestshellAfterEem();
            output = "";
        } else if (cmd.equals("guestshell enable")) {
            if (guestshell.equals("NONE") && !options.bundledGuestshell()) {
                throw new DeviceException("CLI_EXEC_ERROR", "% guestshell package not found");
            }
            guestshell = "RUNNING";
            output = "Guestshell enabled successfully\n";
        } else if (cmd.startsWith("app-hosting install appid guestshell package ")) {
            String path = cmd.substring("app-hosting install appid guestshell package ".length()).trim();
            if (!bootflash.containsKey(path)) {
                throw new DeviceException("CLI_EXEC_ERROR", "% " + path + ": no such file");
            }
            guestshell = "DEPLOYED";
            output = "Installing package '" + path + "' for 'guestshell'.\n";
        } else if (cmd.startsWith("guestshell run python3 ")) {
            String path = cmd.substring("guestshell run python3 ".length()).trim();
            if (!guestshell.equals("RUNNING")) {
                throw new DeviceException("CLI_EXEC_ERROR", "% guestshell is not running");
            }
            if (!bootflash.containsKey(path)) {
                throw new DeviceException("CLI_EXEC_ERROR", "python3: can't open file '" + path + "'");
            }
            scriptRuns++;
            output = "script ran\n";
        } else {
            throw new DeviceException("CLI_EXEC_ERROR", "% Invalid input detected at '^' marker: " + cmd);
        }
        return success("cli-exec", correlator, "<execLog><dialogueLog><sent>" + Xml.escape(cmd)
                + "</sent><received><text>" + Xml.escape(output) + "</text></received></dialogueLog></execLog>");
    }

    private String deviceInfo() {
        return "<udi><primary-chassis>" + udi() + "</primary-chassis></udi>"
                + "<imageInfo><versionString>Cisco IOS XE Software, Version " + version + "</versionString>"
                + "<imageFile>" + imageFile + "</imageFile><configReg>" + configRegister + "</configReg></imageInfo>"
                + "<hardwareInfo><hostname>Router</hostname><vendor>Cisco</vendor><platformName>" + options.pid()
                + "</platformName><boardId>" + serial + "</boardId></hardwareInfo>"
                + "<fileSystemList>"
                + "<fileSystem name=\"nvram\" type=\"nvram\" size=\"33554432\" freespace=\"33548287\" readable=\"true\" writable=\"true\"/>"
                + "<fileSystem name=\"bootflash\" type=\"disk\" size=\"" + options.bootflashSize() + "\" freespace=\""
                + free + "\" readable=\"true\" writable=\"true\"/>"
                + "<fileSystem name=\"usb0\" type=\"disk\" size=\"0\" freespace=\"0\" readable=\"true\" writable=\"true\"/>"
                + "</fileSystemList>";
    }

    private Answer imageInstall(Element request, String correlator, Downloads downloads) throws DeviceException {
        Copy copy = copy(Xml.child(request, "image").orElseThrow(() -> new DeviceException("XML", "no image")));
        byte[] image = fetch(copy.source(), downloads);
        if (options.corruptImage() && image.length > 0) {
            image[0] ^= 0x5a;
        }
        store(copy, image, "PnP Service Error 2004", "Image checksum verification failed");
        bootImage = copy.destination();
        return new Answer(success("image-install", correlator, ""), true);
    }

    private String fileTransfer(Element request, String correlator, Downloads downloads) throws DeviceException {
        Copy copy = copy(Xml.child(request, "fileTransfer").orElseThrow(() -> new DeviceException("XML", "no fileTransfer")));
        store(copy, fetch(copy.source(), downloads), "PnP Service Error 1404", "File checksum verification failed");
        return success("file-transfer", correlator, "");
    }

    private String configUpgrade(Element request, String correlator, Downloads downloads) throws DeviceException {
        String source = Xml.text(request, "config", "copy", "source", "location")
                .orElseThrow(() -> new DeviceException("XML", "no config source"));
        runningConfig += new String(fetch(URI.create(source), downloads), java.nio.charset.StandardCharsets.UTF_8);
        return success("config-upgrade", correlator, "");
    }

    private record Copy(URI source, Optional<String> md5, String destination) {
    }

    private static Copy copy(Element parent) throws DeviceException {
        Element copy = Xml.child(parent, "copy").orElseThrow(() -> new DeviceException("XML", "no copy element"));
        String source = Xml.text(copy, "source", "location").orElseThrow(() -> new DeviceException("XML", "no source"));
        String destination = Xml.text(copy, "destination", "location")
                .orElseThrow(() -> new DeviceException("XML", "no destination"));
        return new Copy(URI.create(source), Xml.text(copy, "source", "checksum"), destination);
    }

    private static byte[] fetch(URI source, Downloads downloads) throws DeviceException {
        try {
            return downloads.get(source);
        } catch (IOException e) {
            throw new DeviceException("PnP Service Error 1401", "copy of " + source + " failed: " + e.getMessage());
        }
    }

    private void store(Copy copy, byte[] content, String checksumCode, String checksumMessage) throws DeviceException {
        String md5 = md5(content);
        if (copy.md5().isPresent() && !copy.md5().get().equalsIgnoreCase(md5)) {
            throw new DeviceException(checksumCode, checksumMessage);
        }
        if (content.length > free) {
            throw new DeviceException("PnP Service Error 1408", "not enough space on bootflash");
        }
        free -= content.length;
        bootflash.put(copy.destination(), md5);
    }

    private String success(String service, String correlator, String body) {
        return envelope("<response xmlns=\"" + NS + service + "\" correlator=\"" + Xml.escape(correlator)
                + "\" success=\"1\">" + body + "</response>");
    }

    private String error(String service, String correlator, String code, String message) {
        return envelope("<response xmlns=\"" + NS + service + "\" correlator=\"" + Xml.escape(correlator)
                + "\" success=\"0\"><errorInfo><errorSeverity>ERROR</errorSeverity><errorCode>" + Xml.escape(code)
                + "</errorCode><errorMessage>" + Xml.escape(message) + "</errorMessage></errorInfo></response>");
    }

    private String fault(String message) {
        return envelope("<response xmlns=\"" + NS + "fault\"><fault><faultcode>XSVC:Client</faultcode><faultstring>"
                + Xml.escape(message) + "</faultstring><detail/></fault></response>");
    }

    private String envelope(String body) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?><pnp xmlns=\"urn:cisco:pnp\" version=\"1.0\" udi=\"" + udi()
                + "\">" + body + "</pnp>";
    }

    static String md5(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A failure the router reports in errorInfo. */
    private static final class DeviceException extends Exception {
        private final String code;

        DeviceException(String code, String message) {
            super(message);
            this.code = code;
        }
    }
}

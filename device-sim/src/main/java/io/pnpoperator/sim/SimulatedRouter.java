package io.pnpoperator.sim;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.Signature;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
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
    private static final String NONE = "NONE";
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
    private boolean justBooted = true;
    private String guestshell = NONE;
    /** The states the guestshell shows at the next checks, one per {@code show app-hosting list}. */
    private final Deque<String> guestshellComing = new ArrayDeque<>();
    private final List<String> refused = new CopyOnWriteArrayList<>();
    private int scriptRuns;
    /** Its image installs as it lived them: from the install request to its report after the reload. */
    private final List<Instant[]> installs = new CopyOnWriteArrayList<>();
    private Instant installing;
    private PrivateKey sudiKey;
    private String sudiCertificate;

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

    /**
     * What this router refused as a strict agent does (an element its schema does not allow, a message
     * without its credentials), with why; a server that speaks the protocol right leaves it empty.
     */
    public List<String> refused() {
        return List.copyOf(refused);
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

    /**
     * Whether the router has just booted and not yet said so: its next work request carries the reload reason,
     * with whether a startup configuration was there ({@code startupConfigPresent}), as IOS-XE's agent does.
     */
    boolean bootToReport() {
        boolean fresh = justBooted;
        justBooted = false;
        return fresh;
    }

    /** {@code write erase} and a reload: back to factory state, without a startup configuration. */
    public void factoryReset() {
        runningConfig = "";
        startupSaved = false;
        configRegister = "0x2142";
        justBooted = true;
    }

    /** Boots the image the last install set, as after a reload. */
    void reload() {
        justBooted = true;
        if (bootImage != null) {
            imageFile = bootImage;
            Matcher m = IMAGE_VERSION.matcher(bootImage);
            if (m.find()) {
                version = m.group(1);
            }
        }
    }

    /** The server's {@code <pnp>} message carrying a request: checked as a strict agent does, then carried out. */
    Answer handle(Element pnp, String correlator, Downloads downloads) {
        Optional<String> unacceptable = RequestSchema.problem(pnp).or(() -> unauthenticated(pnp));
        Element request = Xml.children(pnp).isEmpty() ? pnp : Xml.children(pnp).get(0);
        String service = request.getNamespaceURI() == null ? "" : request.getNamespaceURI().replace(NS, "");
        executed.merge(service, 1, Integer::sum);
        if (unacceptable.isPresent()) {
            refused.add(unacceptable.get());
            return new Answer(fault("An unknown XML tag has been received: " + unacceptable.get()), false);
        }
        if (options.faultOn().contains(service)) {
            return new Answer(fault("An unknown XML tag has been received"), false);
        }
        try {
            Answer answer = switch (service) {
                case "cli-config" -> new Answer(cliConfig(request, correlator), false);
                case "cli-exec" -> new Answer(cliExec(request, correlator), false);
                case "device-info" -> new Answer(success(service, correlator, reportAfterInstall(deviceInfo())), false);
                case "image-install" -> imageInstall(request, correlator, downloads);
                case "file-transfer" -> new Answer(fileTransfer(request, correlator, downloads), false);
                case "config-upgrade" -> new Answer(configUpgrade(request, correlator, downloads), false);
                case "backoff" -> new Answer(success(service, correlator, ""), false);
                case "reload" -> new Answer(success(service, correlator, ""), true);
                case "device-auth" -> new Answer(deviceAuth(request, correlator), false);
                default -> new Answer(fault("An unknown XML tag has been received"), false);
            };
            completed.merge(service, 1, Integer::sum);
            return answer;
        } catch (DeviceException e) {
            return new Answer(error(service, correlator, e.code, e.getMessage()), false);
        }
    }

    /** A bye is checked too: a strict agent refuses one outside the schema or without its credentials. */
    void acknowledged(Element pnp) {
        RequestSchema.problem(pnp).or(() -> unauthenticated(pnp)).ifPresent(refused::add);
    }

    /** Whether the device asks for credentials on the server's messages. */
    boolean authRequired() {
        return options.credentials().isPresent();
    }

    private Optional<String> unauthenticated(Element pnp) {
        return options.credentials().filter(login -> !login.equals(pnp.getAttribute("usr") + ":"
                + pnp.getAttribute("pwd"))).map(login -> "message without the device's usr/pwd");
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
            output = appHostingList();
        } else if (cmd.startsWith("event manager run ")) {
            String applet = cmd.substring("event manager run ".length()).trim();
            if (!runningConfig.contains("event manager applet " + applet)) {
                throw new DeviceException("PnP Service Error 1300", "% Applet " + applet + " not found");
            }
            if (options.guestshell().eemStarts() && options.guestshell().bundled() && guestshellComing.isEmpty()
                    && !guestshell.equals("RUNNING")) {
                guestshellComing.add(guestshell); // the applet's own wait before its guestshell enable
                startGuestshell();
            }
            output = "";
        } else if (cmd.equals("guestshell enable")) {
            if (guestshell.equals(NONE) && guestshellComing.isEmpty() && !options.guestshell().bundled()) {
                throw new DeviceException("PnP Service Error 1300", "% Error: guestshell package is not installed");
            }
            if (!guestshell.equals("RUNNING") && !guestshellComing.contains("RUNNING")) {
                guestshellComing.clear();
                startGuestshell();
            }
            output = "Interface will be selected if configured in app-hosting\nPlease wait for completion\n";
        } else if (cmd.startsWith("app-hosting install appid guestshell package ")) {
            String path = cmd.substring("app-hosting install appid guestshell package ".length()).trim();
            if (!bootflash.containsKey(path)) {
                throw new DeviceException("PnP Service Error 1300", "% " + path + ": no such file");
            }
            if (!guestshell.equals(NONE) || !guestshellComing.isEmpty()) {
                throw new DeviceException("PnP Service Error 1300", "% Error: guestshell is already installed");
            }
            guestshellComing.add("DEPLOYED"); // installed in the background; DEPLOYED is where an install ends
            output = "Installing package '" + path + "' for 'guestshell'. Use 'show app-hosting list' for progress.\n";
        } else if (cmd.startsWith("verify /md5 ")) {
            String path = cmd.substring("verify /md5 ".length()).trim();
            output = bootflash.containsKey(path) ? "....Done!\nverify /md5 (" + path + ") = " + bootflash.get(path) + "\n"
                    : "%Error opening " + path + " (No such file or directory)\n";
        } else if (cmd.startsWith("guestshell run python3 ")) {
            String path = cmd.substring("guestshell run python3 ".length()).trim();
            if (!guestshell.equals("RUNNING")) {
                throw new DeviceException("PnP Service Error 1300", "% guestshell is not running");
            }
            if (!bootflash.containsKey(path)) {
                throw new DeviceException("PnP Service Error 1300", "python3: can't open file '" + path + "'");
            }
            scriptRuns++;
            output = "script ran\n";
        } else {
            throw new DeviceException("PnP Service Error 1304", "% Invalid input detected at '^' marker: " + cmd);
        }
        return success("cli-exec", correlator, "<execLog><dialogueLog><sent>" + Xml.escape(cmd)
                + "</sent><received><text>" + Xml.escape(output) + "</text></received></dialogueLog></execLog>");
    }

    /** DEPLOYED and ACTIVATED for the checks before the last, then RUNNING. */
    private void startGuestshell() {
        int checks = options.guestshell().checks();
        for (int i = 1; i < checks; i++) {
            guestshellComing.add(i <= checks / 2 ? "DEPLOYED" : "ACTIVATED");
        }
        guestshellComing.add("RUNNING");
    }

    /** The table IOS-XE prints: header, dashes, one padded row per app; or "No App found". */
    private String appHostingList() {
        if (!guestshellComing.isEmpty()) {
            guestshell = guestshellComing.poll();
        }
        Map<String, String> apps = new LinkedHashMap<>(options.guestshell().otherApps());
        if (!guestshell.equals(NONE)) {
            apps.put("guestshell", guestshell);
        }
        if (apps.isEmpty()) {
            return "No App found\n";
        }
        StringBuilder table = new StringBuilder("App id                                   State\n"
                + "---------------------------------------------------------\n");
        apps.forEach((app, state) -> table.append(String.format("%-41s%s%n", app, state)));
        return table.toString();
    }

    /** The first report after an image install ends it (the router is running its new image). */
    private String reportAfterInstall(String report) {
        if (installing != null) {
            installs.add(new Instant[] {installing, Instant.now()});
            installing = null;
        }
        return report;
    }

    /** The file of the image the router was last told to install, if any (bootflash:…). */
    public Optional<String> installedImage() {
        return Optional.ofNullable(bootImage);
    }

    /** Each image install from its request to the router's first report after it, in the router's own time. */
    public List<Instant[]> installs() {
        return List.copyOf(installs);
    }

    private String deviceInfo() {
        return "<udi><primary-chassis>" + udi() + "</primary-chassis></udi>"
                + "<imageInfo><versionString>" + versionString() + "</versionString>"
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

    /** Real routers mostly send the bare version without leading zeros (17.3.4a); some the long banner. */
    private String versionString() {
        return options.longVersionString() ? "Cisco IOS XE Software, Version " + version
                : version.replaceAll("(^|\\.)0+(\\d)", "$1$2");
    }

    private Answer imageInstall(Element request, String correlator, Downloads downloads) throws DeviceException {
        installing = Instant.now();
        Copy copy = copy(Xml.child(request, "image").orElseThrow(() -> new DeviceException("XML", "no image")));
        byte[] image = fetch(copy.source(), downloads, "PnP Service Error 1829");
        if (options.corruptImage()) {
            image = damaged(image);
        }
        store(copy, image, new DeviceException("PnP Service Error 1816", "Error verifying checksum for Image"),
                "PnP Service Error 1825");
        bootImage = copy.destination();
        return new Answer(success("image-install", correlator, ""), Xml.child(request, "reload").isPresent());
    }

    private String fileTransfer(Element request, String correlator, Downloads downloads) throws DeviceException {
        Copy copy = copy(Xml.child(request, "fileTransfer").orElseThrow(() -> new DeviceException("XML", "no fileTransfer")));
        byte[] content = fetch(copy.source(), downloads, "PnP Service Error 1702");
        if (options.corruptFiles()) {
            content = damaged(content);
        }
        store(copy, content, new DeviceException("PnP Service Error 1702", "File checksum verification failed"),
                "PnP Service Error 1702");
        return success("file-transfer", correlator, "");
    }

    private String configUpgrade(Element request, String correlator, Downloads downloads) throws DeviceException {
        String source = Xml.text(request, "config", "copy", "source", "location")
                .orElseThrow(() -> new DeviceException("XML", "no config source"));
        runningConfig += new String(fetch(URI.create(source), downloads, "PnP Service Error 1404"),
                StandardCharsets.UTF_8);
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

    /** A copy of the bytes with the first one changed, as a transfer that went wrong delivers them. */
    private static byte[] damaged(byte[] content) {
        byte[] copy = content.clone();
        if (copy.length > 0) {
            copy[0] ^= 0x5a;
        }
        return copy;
    }

    /** Fetches a copy's source; a failed download is reported with the service's copy-failed code. */
    private static byte[] fetch(URI source, Downloads downloads, String copyFailed) throws DeviceException {
        try {
            return downloads.get(source);
        } catch (IOException e) {
            throw new DeviceException(copyFailed, "copy of " + source + " failed: " + e.getMessage());
        }
    }

    private void store(Copy copy, byte[] content, DeviceException checksumFailed, String noSpace) throws DeviceException {
        String md5 = md5(content);
        if (copy.md5().isPresent() && !copy.md5().get().equalsIgnoreCase(md5)) {
            throw checksumFailed;
        }
        if (content.length > free) {
            throw new DeviceException(noSpace, "not enough space on bootflash");
        }
        free -= content.length;
        bootflash.put(copy.destination(), md5);
    }

    /**
     * Gives the router a SUDI: the private key in its trust anchor module and the certificate that names it, as
     * manufacturing does. Without one, a device-auth request fails as on a router whose certificate cannot be read.
     */
    public void giveSudi(PrivateKey key, String certificatePem) {
        this.sudiKey = key;
        this.sudiCertificate = certificatePem;
    }

    /** device-auth: the challenge signed with the SUDI key, and the SUDI certificate, base64 as the schema has it. */
    private String deviceAuth(Element request, String correlator) throws DeviceException {
        if (sudiKey == null) {
            throw new DeviceException("PnP Service Error 3407", "SUDI certificate retrieval failed");
        }
        String challenge = Xml.text(request, "deviceAuth", "challenge-request").orElse("");
        String encryption = sudiKey.getAlgorithm().equals("EC") ? "ECDSA" : "RSA";
        try {
            Signature signature = Signature.getInstance("SHA256with" + encryption);
            signature.initSign(sudiKey);
            signature.update(challenge.getBytes(StandardCharsets.UTF_8));
            return success("device-auth", correlator, "<auth><challenge-response>"
                    + Base64.getEncoder().encodeToString(signature.sign()) + "</challenge-response><sudi-cert>"
                    + Base64.getEncoder().encodeToString(sudiCertificate.getBytes(StandardCharsets.US_ASCII))
                    + "</sudi-cert><encryption-method>" + encryption + "</encryption-method><hashing-method>SHA256"
                    + "</hashing-method></auth>");
        } catch (GeneralSecurityException e) {
            throw new DeviceException("PnP Service Error 3406", "signing failed: " + e.getMessage());
        }
    }

    private String success(String service, String correlator, String body) {
        return envelope("<response xmlns=\"" + NS + service + "\" correlator=\"" + Xml.escape(correlator)
                + "\" success=\"1\">" + body + "</response>");
    }

    /** errorInfo as each service's schema has it: cli-exec and cli-config without a severity. */
    private String error(String service, String correlator, String code, String message) {
        String severity = switch (service) {
            case "cli-exec", "cli-config" -> "";
            case "image-install", "config-upgrade" -> "<errorSeverity>XSVC_ERROR</errorSeverity>";
            default -> "<errorSeverity>ERROR</errorSeverity>";
        };
        return envelope("<response xmlns=\"" + NS + service + "\" correlator=\"" + Xml.escape(correlator)
                + "\" success=\"0\"><errorInfo>" + severity + "<errorCode>" + Xml.escape(code)
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

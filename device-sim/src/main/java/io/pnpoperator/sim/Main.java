package io.pnpoperator.sim;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code java -jar pnp-device-sim.jar --server http://127.0.0.1:8080 --devices 1}: runs simulated ISR1k
 * routers through a PnP server and prints a summary. Exit code 0 when every device finished.
 */
public final class Main {

    static final String USAGE = """
            usage: pnp-device-sim --server URL [options]
               or: pnp-device-sim --profile FILE --platforms PID,PID,... [--server-jar JAR] [options]
              --profile FILE          dry run: try this profile (configs/, images/, files/ beside it) on a
                                      throwaway local server, one simulated router per platform, and print
                                      what each got: profile, steps, image, day-0 config, or where it stopped
              --platforms PIDS        the models to try, e.g. C1111-8P,C1131-8PWB,C8200-1N-4T
              --server-jar JAR        the packaged server (default pnp-endpoint/target/pnp-endpoint.jar)
              --server URL            the PnP server, e.g. http://127.0.0.1:8080 (required)
              --devices N             simulated routers (default 1)
              --concurrency C         routers in their dialog at once (default: min(N, 100))
              --serial-prefix P       serials are P00001, P00002, ... (default SIM)
              --version V             IOS-XE version the routers start on (default 17.06.01a)
              --version-string FORM   bare (17.6.1a, as real routers send it; default) or long
                                      (Cisco IOS XE Software, Version 17.06.01a)
              --bootflash-free BYTES  free bootflash before copies (default 3000000000)
              --guestshell-checks N   app-hosting checks from a guestshell start to RUNNING (default 3)
              --credentials U:P       the routers ask for this login (authRequired) on every message
              --speed S               backoffs and reloads take 1/S of their time (default 1)
              --timeout SECONDS       give up after this long (default 3600)
              --misbehave WHAT        checksum (image copies arrive damaged), file-checksum (file copies
                                      arrive damaged) or fault:<service>
              --connections KIND      keep-alive (one connection a router, default) or per-message (a new
                                      TCP connection for every message, Connection: close)
            """;

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        PnpAgent.allowConnectionClose();
        Map<String, String> flags = parse(args);
        if (flags != null && flags.containsKey("profile") && flags.containsKey("platforms")) {
            dryRun(flags);
            return;
        }
        if (flags == null || !flags.containsKey("server")) {
            System.err.print(USAGE);
            System.exit(2);
        }
        int devices = Integer.parseInt(flags.getOrDefault("devices", "1"));
        int concurrency = Integer.parseInt(flags.getOrDefault("concurrency", Integer.toString(Math.min(devices, 100))));
        DeviceOptions options = DeviceOptions.defaults()
                .withVersion(flags.getOrDefault("version", DeviceOptions.defaults().version()))
                .withBootflashFree(Long.parseLong(flags.getOrDefault("bootflash-free",
                        Long.toString(DeviceOptions.defaults().bootflashFree()))))
                .withSpeed(Double.parseDouble(flags.getOrDefault("speed", "1")));
        options = options.withGuestshell(options.guestshell().withChecks(Integer.parseInt(
                flags.getOrDefault("guestshell-checks", Integer.toString(options.guestshell().checks())))));
        String versionString = flags.getOrDefault("version-string", "bare");
        if (versionString.equals("long")) {
            options = options.withLongVersionString();
        } else if (!versionString.equals("bare")) {
            System.err.println("unknown --version-string '" + versionString + "'\n" + USAGE);
            System.exit(2);
        }
        if (flags.containsKey("credentials")) {
            options = options.withCredentials(flags.get("credentials"));
        }
        String connections = flags.getOrDefault("connections", "keep-alive");
        if (connections.equals("per-message")) {
            options = options.withConnectionPerMessage();
        } else if (!connections.equals("keep-alive")) {
            System.err.println("unknown --connections '" + connections + "'\n" + USAGE);
            System.exit(2);
        }
        String misbehave = flags.getOrDefault("misbehave", "");
        if (misbehave.equals("checksum")) {
            options = options.withCorruptImage();
        } else if (misbehave.equals("file-checksum")) {
            options = options.withCorruptFiles();
        } else if (misbehave.startsWith("fault:")) {
            options = options.withFaultOn(Set.of(misbehave.substring("fault:".length())));
        } else if (!misbehave.isEmpty()) {
            System.err.println("unknown --misbehave '" + misbehave + "'\n" + USAGE);
            System.exit(2);
        }
        Fleet.Summary summary = Fleet.run(URI.create(flags.get("server")), devices, concurrency,
                flags.getOrDefault("serial-prefix", "SIM"), options,
                Duration.ofSeconds(Long.parseLong(flags.getOrDefault("timeout", "3600"))));
        System.out.print(summary.print());
        System.exit(summary.finished() == devices ? 0 : 1);
    }

    private static void dryRun(Map<String, String> flags) throws Exception {
        List<String> platforms = Arrays.stream(flags.get("platforms").split(",")).map(String::strip)
                .filter(p -> !p.isEmpty()).toList();
        DeviceOptions options = DeviceOptions.defaults()
                .withVersion(flags.getOrDefault("version", DeviceOptions.defaults().version()))
                .withSpeed(Double.parseDouble(flags.getOrDefault("speed", "5000")));
        try {
            List<DryRun.Outcome> outcomes = DryRun.run(Path.of(flags.getOrDefault("server-jar",
                            "pnp-endpoint/target/pnp-endpoint.jar")), Path.of(flags.get("profile")), platforms, options,
                    Duration.ofSeconds(Long.parseLong(flags.getOrDefault("timeout", "120"))));
            System.out.print(DryRun.print(outcomes));
            System.exit(outcomes.stream().allMatch(DryRun.Outcome::finished) ? 0 : 1);
        } catch (IOException e) {
            System.err.println("dry run not possible: " + e.getMessage());
            System.exit(2);
        }
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> flags = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                return null;
            }
            flags.put(args[i].substring(2), args[++i]);
        }
        return flags;
    }
}

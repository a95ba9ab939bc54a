package io.pnpoperator.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A profile tried on simulated routers of the given models before a real one is unboxed: a throwaway local server
 * (the packaged standalone server, its data in a temporary folder) with the profile and the folders beside it, one
 * router per model, and per model what it got — its profile, the steps, the image and the day-0 config — or where
 * it stopped and why.
 */
public final class DryRun {

    private static final ObjectMapper JSON = new ObjectMapper();
    /**
     * A router told to wait this long (server time) is where the profile leaves it: provisioned (24 h), or held,
     * blocked or failed (10 min and more); shorter waits (a reload, the guestshell's start) are part of the way.
     */
    static final Duration STOPPED = Duration.ofMinutes(10);

    /** What one model went through. */
    public record Outcome(String platform, String serial, boolean finished, String profile, String phase, String step,
                          String lastError, List<String> steps, String image, String version, String config) {

        String print() {
            StringBuilder out = new StringBuilder(String.format("%s (simulated %s): %s%n", platform, serial,
                    finished ? "provisioned" : "stopped at " + step + " (" + phase + ")"
                            + (lastError.isEmpty() ? "" : ": " + lastError)));
            out.append(String.format("  profile: %s%n", profile.isEmpty() ? "(none)" : profile));
            out.append(String.format("  image:   %s%n", image.isEmpty() ? "none installed, running " + version
                    : image + ", running " + version));
            out.append(String.format("  steps:   %s%n", String.join(" → ", steps)));
            if (!config.isBlank()) {
                out.append("  day-0 config:\n");
                config.lines().forEach(line -> out.append("    ").append(line).append('\n'));
            }
            return out.toString();
        }
    }

    private DryRun() {
    }

    /**
     * @param profile   the profile file; its folders {@code configs/}, {@code images/}, {@code files/} beside it
     * @param platforms PIDs to try, one simulated router each
     */
    public static List<Outcome> run(Path serverJar, Path profile, List<String> platforms, DeviceOptions options,
                                    Duration timeout) throws IOException, InterruptedException {
        Path work = Files.createTempDirectory("pnp-dry-run");
        Path folder = profile.toAbsolutePath().getParent();
        List<String> args = List.of("--pnp.data-dir=" + work.resolve("data"), "--pnp.profile=" + profile.toAbsolutePath(),
                "--pnp.configs-dir=" + folder.resolve("configs"), "--pnp.images-dir=" + folder.resolve("images"),
                "--pnp.files-dir=" + folder.resolve("files"), "--logging.level.root=WARN");
        try (LocalServer server = LocalServer.start(serverJar, args, work.resolve("server.log"))) {
            HttpClient http = HttpClient.newHttpClient();
            List<PnpAgent> agents = new ArrayList<>();
            for (int i = 0; i < platforms.size(); i++) {
                agents.add(new PnpAgent(server.deviceUrl(), new SimulatedRouter(String.format("DRY%05d", i + 1),
                        options.withPid(platforms.get(i))), options.withParkAfter(STOPPED), http, new Stats()));
            }
            ExecutorService pool = Executors.newFixedThreadPool(agents.size());
            Instant deadline = Instant.now().plus(timeout);
            List<Future<PnpAgent.Result>> runs = agents.stream().map(a -> pool.submit(() -> a.run(deadline))).toList();
            pool.shutdown();
            List<Outcome> outcomes = new ArrayList<>();
            for (int i = 0; i < agents.size(); i++) {
                outcomes.add(outcome(server, platforms.get(i), agents.get(i).router(), finished(runs.get(i))));
            }
            return outcomes;
        }
    }

    private static boolean finished(Future<PnpAgent.Result> run) throws InterruptedException {
        try {
            return run.get().finished();
        } catch (java.util.concurrent.ExecutionException e) {
            return false;
        }
    }

    private static Outcome outcome(LocalServer server, String platform, SimulatedRouter router, boolean finished)
            throws IOException, InterruptedException {
        JsonNode device = JSON.readTree(server.get("/api/devices/" + router.serial()));
        List<String> steps = new ArrayList<>();
        device.path("history").forEach(t -> {
            if (steps.isEmpty()) {
                steps.add(t.get("from").asText());
            }
            if (!t.get("to").asText().equals(steps.get(steps.size() - 1))) {
                steps.add(t.get("to").asText());
            }
        });
        return new Outcome(platform, router.serial(), finished, device.path("profile").asText(""),
                device.path("phase").asText("never registered"), device.path("step").asText("NEW_DEVICE"),
                device.path("lastError").asText(""), steps, router.installedImage().orElse(""), router.version(),
                router.runningConfig());
    }

    /** Every model's outcome, as the CLI prints it. */
    public static String print(List<Outcome> outcomes) {
        StringBuilder out = new StringBuilder();
        outcomes.forEach(o -> out.append(o.print()).append('\n'));
        out.append(String.format("%d of %d models provisioned%n", outcomes.stream().filter(Outcome::finished).count(),
                outcomes.size()));
        return out.toString();
    }
}

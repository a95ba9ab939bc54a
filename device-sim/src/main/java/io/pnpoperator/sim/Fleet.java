package io.pnpoperator.sim;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** Many simulated routers against one server, at most {@code concurrency} in their dialog at once. */
public final class Fleet {

    /** What a run did; {@link #print()} is the summary the CLI shows. */
    public record Summary(int devices, List<PnpAgent.Result> results, int exchanges, double p50Millis,
                          double p99Millis, long bytesDownloaded, long httpErrors, String lastHttpError,
                          Duration wall) {

        public long finished() {
            return results.stream().filter(PnpAgent.Result::finished).count();
        }

        public double exchangesPerSecond() {
            return exchanges / Math.max(0.001, wall.toNanos() / 1e9);
        }

        public String print() {
            StringBuilder out = new StringBuilder();
            out.append(String.format("devices finished:   %d of %d%n", finished(), devices));
            results.stream().filter(r -> !r.finished()).limit(10).forEach(r ->
                    out.append(String.format("  not finished:     %s (%s)%n", r.serial(), r.reason())));
            out.append(String.format("exchanges:          %d (%.0f/s)%n", exchanges, exchangesPerSecond()));
            out.append(String.format("exchange latency:   p50 %.2f ms, p99 %.2f ms%n", p50Millis, p99Millis));
            out.append(String.format("bytes downloaded:   %d%n", bytesDownloaded));
            out.append(String.format("http errors:        %d%s%n", httpErrors, httpErrors == 0 ? ""
                    : " (the last: " + lastHttpError + ")"));
            out.append(String.format("refused by routers: %d (outside Cisco's schemas, or without credentials)%n",
                    results.stream().mapToInt(PnpAgent.Result::refused).sum()));
            out.append(String.format("wall time:          %.2f s%n", wall.toMillis() / 1000.0));
            return out.toString();
        }
    }

    private Fleet() {
    }

    /**
     * @param serialPrefix serials are the prefix and a number: {@code SIM00001}, {@code SIM00002}, ...
     */
    public static Summary run(URI server, int devices, int concurrency, String serialPrefix, DeviceOptions options,
                              Duration timeout) throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        Stats stats = new Stats();
        Instant start = Instant.now();
        Instant deadline = start.plus(timeout);
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        List<Future<PnpAgent.Result>> running = new ArrayList<>();
        for (int i = 1; i <= devices; i++) {
            String serial = serialPrefix + String.format("%05d", i);
            PnpAgent agent = new PnpAgent(server, new SimulatedRouter(serial, options), options, http, stats);
            running.add(pool.submit(() -> agent.run(deadline)));
        }
        List<PnpAgent.Result> results = new ArrayList<>();
        try {
            for (Future<PnpAgent.Result> f : running) {
                results.add(f.get());
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException("a simulated device crashed: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
        return new Summary(devices, results, stats.exchanges(), stats.percentileMillis(0.50),
                stats.percentileMillis(0.99), stats.bytesDownloaded(), stats.httpErrors(), stats.lastHttpError(),
                Duration.between(start, Instant.now()));
    }
}

package io.pnpoperator.operator;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.pnpoperator.testcluster.AuditLog;
import io.pnpoperator.testcluster.ControlPlane;
import io.pnpoperator.crds.device.DevicePhase;
import io.pnpoperator.crds.device.DeviceStep;
import io.pnpoperator.crds.device.PnpDevice;
import io.pnpoperator.crds.device.PnpDeviceSpec;
import io.pnpoperator.crds.device.PnpDeviceStatus;
import io.pnpoperator.crds.profile.ArtifactFile;
import io.pnpoperator.crds.profile.DayZeroConfig;
import io.pnpoperator.crds.profile.Image;
import io.pnpoperator.crds.profile.PnpProfile;
import io.pnpoperator.crds.profile.PnpProfileSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Benchmark (not a test): the operator reconciling 20 PnpProfiles and 1,000 PnpDevices (or the number given as
 * the first argument; a tenth of them silent for two hours) on the real control plane (test-cluster/). Prints how
 * long until every profile is ready and every silent device is Stalled, the API calls by kind (from the API
 * server's audit log) and the operator's heap. Run with bench/operator-1000-devices.
 */
public final class OperatorBenchmark {

    static final int PROFILES = 20;
    static final int SILENT_EVERY = 10;

    private OperatorBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int devices = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        ControlPlane cluster = ControlPlane.shared();
        cluster.installCrds(Path.of("../crds"));
        String ns = cluster.createNamespace("bench");
        KubernetesClient client = cluster.client(ns);
        Path volume = Files.createTempDirectory("pnp-volume");
        Files.createDirectories(volume.resolve("images"));
        Files.createDirectories(volume.resolve("files"));
        Files.write(volume.resolve("files/pxs.py"), "print('hello')\n".getBytes());
        client.resource(new ConfigMapBuilder().withNewMetadata().withName("configs").withNamespace(ns).endMetadata()
                .addToData("default.cfg", "hostname ${hostname}\n").build()).create();
        for (int p = 1; p <= PROFILES; p++) {
            String image = "c1100-universalk9.17.14." + p + ".SPA.bin";
            Files.write(volume.resolve("images").resolve(image), new byte[1024 * 1024]);
            PnpProfile profile = new PnpProfile();
            profile.setMetadata(new ObjectMetaBuilder().withName("profile-" + p).withNamespace(ns).build());
            profile.setSpec(new PnpProfileSpec("0x2102", new Image(image, "17.14." + p, "", null, null),
                    new DayZeroConfig("default.cfg", true, "configs"),
                    List.of(new ArtifactFile("pxs.py", "bootflash:guest-share/", null)), null, null));
            client.resource(profile).create();
        }
        String silentSince = Instant.now().minus(Duration.ofHours(2)).toString();
        String recently = Instant.now().toString();
        // Devices as the endpoint leaves them half-way: 12 transitions of history each, a tenth silent for hours.
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        List<java.util.concurrent.Future<?>> made = new java.util.ArrayList<>();
        for (int d = 1; d <= devices; d++) {
            int number = d;
            made.add(pool.submit(() -> {
                PnpDevice device = new PnpDevice();
                String name = String.format("bench%05d", number);
                device.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(ns).build());
                device.setSpec(new PnpDeviceSpec(name.toUpperCase(), "profile-" + (1 + number % PROFILES), null, null));
                PnpDevice created = client.resource(device).create();
                String contact = number % SILENT_EVERY == 0 ? silentSince : recently;
                created.setStatus(new PnpDeviceStatus(DevicePhase.PROVISIONING, DeviceStep.CONFIG_START, 0, null,
                        contact, null, null, null, List.of(), 1L, new PnpDeviceStatus.Identity(null, "C1131-8PWB",
                        "Router", "10.0.0.1", contact, contact), null, history(contact), null));
                client.resource(created).updateStatus();
            }));
        }
        for (java.util.concurrent.Future<?> f : made) {
            f.get();
        }
        pool.shutdown();
        System.gc();
        long heapBefore = usedHeap();
        long before = cluster.auditLog().mark();

        long start = System.nanoTime();
        try (PnpOperator operator = new PnpOperator(client, OperatorSettings.forNamespace(ns, volume, "bench")
                .withRecheck(Duration.ofSeconds(5)))) {
            operator.start();
            long readyAt = 0;
            long stalledAt = 0;
            while (readyAt == 0 || stalledAt == 0) {
                if (readyAt == 0 && client.resources(PnpProfile.class).inNamespace(ns).list().getItems().stream()
                        .allMatch(p -> p.getStatus() != null && Boolean.TRUE.equals(p.getStatus().ready()))) {
                    readyAt = System.nanoTime();
                }
                if (stalledAt == 0 && client.resources(PnpDevice.class).inNamespace(ns).list().getItems().stream()
                        .filter(d -> d.getStatus().conditions().stream().anyMatch(c -> c.getType().equals("Stalled")))
                        .count() == devices / SILENT_EVERY) {
                    stalledAt = System.nanoTime();
                }
                Thread.sleep(250);
            }
            // Settled: what the operator costs the API server while nothing changes.
            long settledFrom = cluster.auditLog().mark();
            Thread.sleep(10_000);
            int settled = cluster.auditLog().since(settledFrom, c -> ns.equals(c.namespace()), cluster).size();
            Map<String, Integer> calls = calls(cluster, before, ns);
            System.gc();
            double readySeconds = (readyAt - start) / 1e9;
            double stalledSeconds = (stalledAt - start) / 1e9;
            System.out.printf("profiles ready:       %d in %.2f s (%.0f profiles/s)%n", PROFILES, readySeconds,
                    PROFILES / readySeconds);
            System.out.printf("devices reconciled:   %d, %d marked Stalled, in %.2f s (%.0f devices/s)%n", devices,
                    devices / SILENT_EVERY, stalledSeconds, devices / stalledSeconds);
            System.out.printf("API calls by kind, from the operator's start (the benchmark's own polling lists included):%n");
            calls.forEach((kind, n) -> System.out.printf("  %-45s %6d%n", kind, n));
            int written = calls.entrySet().stream().filter(e -> !e.getKey().matches("(get|list|watch) .*")).mapToInt(Map.Entry::getValue)
                    .sum();
            System.out.printf("writes per resource:  %.3f per device (status), %.1f per profile (status), "
                            + "%.1f per profile (ConfigMap)%n",
                    calls.getOrDefault("patch pnpdevices/status", 0) / (double) devices,
                    calls.getOrDefault("patch pnpprofiles/status", 0) / (double) PROFILES,
                    calls.getOrDefault("create configmaps", 0) / (double) PROFILES);
            System.out.printf("all writes:           %d for %d resources (%.2f per resource)%n", written,
                    devices + PROFILES, written / (double) (devices + PROFILES));
            System.out.printf("settled, next 10 s:   %d calls in all (lease renewals included)%n", settled);
            System.out.printf("operator's heap:      %d MiB after a GC (this JVM's, less what it held before the start)%n",
                    (usedHeap() - heapBefore) >> 20);
        }
        EndpointBeside.measure(cluster, ns, volume, devices);
        client.close();
        System.exit(0);
    }

    private static long usedHeap() {
        Runtime runtime = Runtime.getRuntime();
        return runtime.totalMemory() - runtime.freeMemory();
    }

    /** The first twelve transitions of a router, as the endpoint records them. */
    private static List<PnpDeviceStatus.HistoryEntry> history(String at) {
        List<PnpDeviceStatus.HistoryEntry> history = new java.util.ArrayList<>();
        DeviceStep[] steps = DeviceStep.values();
        for (int i = 1; i <= 12; i++) {
            history.add(new PnpDeviceStatus.HistoryEntry((long) i, steps[i - 1], steps[i], DevicePhase.PROVISIONING,
                    "cli-exec", "success", null, at));
        }
        return history;
    }

    /** The calls in {@code namespace} since {@code mark}, by verb and resource. */
    private static Map<String, Integer> calls(ControlPlane cluster, long mark, String namespace) {
        Map<String, Integer> calls = new TreeMap<>();
        for (AuditLog.Call call : cluster.auditLog().since(mark, c -> namespace.equals(c.namespace()), cluster)) {
            calls.merge(call.verb() + " " + call.target(), 1, Integer::sum);
        }
        return calls;
    }
}

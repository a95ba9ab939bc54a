package io.pnpoperator.testcluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * The API server's audit log (one JSON event a line, written before the request's answer is complete): the
 * requests programs made, read back to count what a router or a reconcile costs the cluster.
 */
public final class AuditLog {

    /** Every request at Metadata level; the bodies of PnpDevice status writes too, to measure them. */
    static final String POLICY = """
            apiVersion: audit.k8s.io/v1
            kind: Policy
            omitStages: [RequestReceived]
            rules:
            - level: Request
              verbs: [update, patch]
              resources:
              - group: pnp.pnpoperator.io
                resources: [pnpdevices/status]
            - level: Metadata
            """;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;

    AuditLog(Path file) {
        this.file = file;
    }

    Path file() {
        return file;
    }

    /** One request as the API server recorded it. */
    public record Call(String user, String verb, String resource, String subresource, String namespace, String name,
            int code, int requestBytes, String uri) {

        /** {@code pnpdevices/status}, or {@code configmaps}. */
        public String target() {
            return subresource == null ? resource : resource + "/" + subresource;
        }
    }

    /** Where the log ends now: the calls after it are those made from now on. */
    public long mark() {
        try {
            return Files.exists(file) ? Files.size(file) : 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The calls logged since {@code mark} that {@code filter} keeps, once every call made before this one is in
     * the log (a request of the administrator's own is waited for: what was answered before it is logged before it).
     */
    public List<Call> since(long mark, Predicate<Call> filter, ControlPlane cluster) {
        return since(mark, filter, cluster.admin());
    }

    /** As {@link #since(long, Predicate, ControlPlane)}, probing with {@code admin}, a client of this log's server. */
    public List<Call> since(long mark, Predicate<Call> filter, KubernetesClient admin) {
        String probe = "audit-probe-" + UUID.randomUUID();
        admin.configMaps().inNamespace("default").withName(probe).get();
        Instant until = Instant.now().plus(Duration.ofSeconds(30));
        while (true) {
            List<Call> calls = read(mark);
            if (calls.stream().anyMatch(c -> probe.equals(c.name()))) {
                return calls.stream().filter(c -> !probe.equals(c.name())).filter(filter).toList();
            }
            if (Instant.now().isAfter(until)) {
                throw new IllegalStateException("the audit log never showed the probe request " + probe);
            }
            ControlPlane.sleep(50);
        }
    }

    private List<Call> read(long mark) {
        List<Call> calls = new ArrayList<>();
        try (InputStream in = Files.newInputStream(file)) {
            // A mark taken while the API server wrote a line falls inside it: from the byte before the mark, the
            // text up to the first line break is that line's rest (or just the break), not an event.
            in.skipNBytes(Math.max(0, mark - 1));
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            if (mark > 0) {
                text = text.substring(text.indexOf('\n') + 1);
            }
            // And a line being written as this reads is left for the next read.
            text = text.substring(0, text.lastIndexOf('\n') + 1);
            for (String line : text.split("\n")) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode event = JSON.readTree(line);
                // A watch is logged when its answer starts (it completes only when the watch ends), the rest when done.
                String stage = event.path("stage").asText();
                if (!stage.equals("watch".equals(event.path("verb").asText()) ? "ResponseStarted" : "ResponseComplete")) {
                    continue;
                }
                JsonNode ref = event.path("objectRef");
                calls.add(new Call(event.path("user").path("username").asText(), event.path("verb").asText(),
                        text(ref, "resource"), text(ref, "subresource"), text(ref, "namespace"), text(ref, "name"),
                        event.path("responseStatus").path("code").asInt(),
                        event.has("requestObject") ? JSON.writeValueAsBytes(event.get("requestObject")).length : 0,
                        event.path("requestURI").asText()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return calls;
    }

    private static String text(JsonNode node, String field) {
        return node.hasNonNull(field) ? node.get(field).asText() : null;
    }
}

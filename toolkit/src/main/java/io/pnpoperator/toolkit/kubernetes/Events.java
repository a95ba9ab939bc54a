package io.pnpoperator.toolkit.kubernetes;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.net.HttpURLConnection;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Events about this project's resources, as {@code kubectl describe} shows them and as Kubernetes' own event
 * recorder keeps them: one Event per object and reason, its {@code count}, {@code lastTimestamp} and message
 * updated as the same thing happens again ("x17 over 3m"), never one new object each time — a router's whole
 * provisioning leaves a handful. Each names the program and the replica that reported it.
 */
public final class Events {

    /** Counts of the Events this process wrote lately, so that a repeat is one patch, not a read and a patch. */
    private static final int REMEMBERED = 10_000;

    private final KubernetesClient client;
    private final String component;
    private final String instance;
    private final Map<String, Integer> counts = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Integer> eldest) {
            return size() > REMEMBERED;
        }
    };

    /**
     * @param component the reporting program (pnp-endpoint, pnp-operator)
     * @param instance  the reporting replica (the pod's name)
     */
    public Events(KubernetesClient client, String component, String instance) {
        this.client = client;
        this.component = component;
        this.instance = instance;
    }

    /**
     * Records that {@code reason} happened to {@code resource} now.
     *
     * @param type Normal or Warning
     * @throws KubernetesClientException when the API server refuses; Events are a courtesy, callers log it
     */
    public void record(HasMetadata resource, String type, String reason, String message, Instant at) {
        String name = nameOf(resource, reason);
        String namespace = resource.getMetadata().getNamespace();
        Integer known;
        synchronized (counts) {
            known = counts.get(name);
        }
        int count = known == null ? create(resource, name, type, reason, message, at) : known + 1;
        if (known != null) {
            try {
                repeat(namespace, name, type, message, at, count);
            } catch (KubernetesClientException e) {
                if (e.getCode() != HttpURLConnection.HTTP_NOT_FOUND) {
                    throw e;
                }
                // Expired (the API server keeps Events an hour) or deleted: it starts again.
                count = create(resource, name, type, reason, message, at);
            }
        }
        synchronized (counts) {
            counts.put(name, count);
        }
    }

    /** This replica, as Events name it: the pod's name in a cluster (HOSTNAME), the host's otherwise. */
    public static String thisInstance() {
        String hostname = System.getenv("HOSTNAME");
        if (hostname != null && !hostname.isBlank()) {
            return hostname;
        }
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            return "unknown";
        }
    }

    /** The Event's name: the object's, its uid (a re-created object starts afresh), and the reason. */
    static String nameOf(HasMetadata resource, String reason) {
        String uid = resource.getMetadata().getUid() == null ? "0" : resource.getMetadata().getUid();
        return resource.getMetadata().getName() + "." + uid.substring(0, Math.min(8, uid.length())) + "."
                + reason.toLowerCase(Locale.ROOT);
    }

    /** The first of its kind here; another replica (or this one before a restart) may have made it already. */
    private int create(HasMetadata resource, String name, String type, String reason, String message, Instant at) {
        Event event = new EventBuilder()
                .withNewMetadata().withName(name).withNamespace(resource.getMetadata().getNamespace()).endMetadata()
                .withInvolvedObject(new ObjectReferenceBuilder().withApiVersion(resource.getApiVersion())
                        .withKind(resource.getKind()).withName(resource.getMetadata().getName())
                        .withNamespace(resource.getMetadata().getNamespace()).withUid(resource.getMetadata().getUid())
                        .build())
                .withType(type).withReason(reason).withMessage(message)
                .withFirstTimestamp(at.toString()).withLastTimestamp(at.toString()).withCount(1)
                .withNewSource().withComponent(component).endSource()
                .withReportingComponent(component).withReportingInstance(instance).build();
        try {
            client.v1().events().inNamespace(resource.getMetadata().getNamespace()).resource(event).create();
            return 1;
        } catch (KubernetesClientException e) {
            if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
                throw e;
            }
            Event existing = client.v1().events().inNamespace(resource.getMetadata().getNamespace()).withName(name).get();
            int count = (existing == null || existing.getCount() == null ? 0 : existing.getCount()) + 1;
            repeat(resource.getMetadata().getNamespace(), name, type, message, at, count);
            return count;
        }
    }

    private void repeat(String namespace, String name, String type, String message, Instant at, int count) {
        Map<String, Object> patch = Map.of("type", type, "message", message, "lastTimestamp", at.toString(),
                "count", count, "reportingInstance", instance);
        // Patched through the Event's name as an object: patching withName(...) would make fabric8 read it first.
        Event named = new EventBuilder().withNewMetadata().withName(name).withNamespace(namespace).endMetadata().build();
        client.v1().events().inNamespace(namespace).resource(named).patch(PatchContext.of(PatchType.JSON_MERGE),
                client.getKubernetesSerialization().asJson(patch));
    }
}

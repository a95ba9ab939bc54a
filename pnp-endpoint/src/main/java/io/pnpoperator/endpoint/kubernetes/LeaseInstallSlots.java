package io.pnpoperator.endpoint.kubernetes;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.pnpoperator.crds.device.PnpDevice;
import io.pnpoperator.crds.device.PnpDeviceStatus;
import io.pnpoperator.endpoint.provisioning.InstallSlots;
import io.pnpoperator.endpoint.store.StoreUnavailableException;
import io.pnpoperator.endpoint.workflow.Device;
import io.pnpoperator.endpoint.workflow.Phase;
import io.pnpoperator.endpoint.workflow.Step;
import java.net.HttpURLConnection;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Install slots in the API server: one Lease whose annotation lists, per profile, the routers
 * holding a slot and since when. A slot is taken by updating the Lease as read (its resourceVersion): of two
 * replicas taking the last slot at once, one is refused with 409 and reads again. Slots of routers that no longer
 * hold them ({@link InstallSlots#holds}) are freed by the next write, whatever their profile; the routers' steps come
 * from the informer. One Lease of a known name, made by the chart, so that the endpoint's Role names it and no other
 * Lease (the operator's leader Lease is out of its reach); where the endpoint may create Leases it makes it itself.
 */
public final class LeaseInstallSlots implements InstallSlots {

    static final String HOLDERS = "pnp.pnpoperator.io/install-slots";
    private static final int TRIES = 8;

    private final KubernetesClient client;
    private final String namespace;
    private final String lease;
    private final KubernetesDeviceStore devices;

    public LeaseInstallSlots(KubernetesClient client, String namespace, String lease, KubernetesDeviceStore devices) {
        this.client = client;
        this.namespace = namespace;
        this.lease = lease;
        this.devices = devices;
    }

    @Override
    public Admission admit(String profile, String serial, int limit, Instant now) {
        try {
            for (int attempt = 0; attempt < TRIES; attempt++) {
                Lease current = client.leases().inNamespace(namespace).withName(lease).get();
                TreeMap<String, TreeMap<String, String>> profiles = holders(current);
                boolean freed = false;
                for (TreeMap<String, String> held : profiles.values()) {
                    freed |= held.entrySet().removeIf(h -> !holds(h.getKey(), Instant.parse(h.getValue()), now));
                }
                profiles.values().removeIf(Map::isEmpty);
                TreeMap<String, String> holders = profiles.computeIfAbsent(profile, p -> new TreeMap<>());
                if (!holders.containsKey(serial) && holders.size() >= limit) {
                    return new InLine(placeInLine(profile, serial, holders), holders.size());
                }
                boolean taking = holders.putIfAbsent(serial, now.toString()) == null;
                if (!taking && !freed) {
                    return new Admitted();
                }
                if (written(current, profiles)) {
                    return new Admitted();
                }
            }
            throw new StoreUnavailableException("the API server", new IllegalStateException(
                    "the install slots of profile " + profile + " changed " + TRIES + " times while being taken"));
        } catch (KubernetesClientException e) {
            throw new StoreUnavailableException("the API server", e);
        }
    }

    /** Writes the holders onto the Lease as read (or a new one); false when another writer came first. */
    private boolean written(Lease read, Map<String, TreeMap<String, String>> profiles) {
        String json = client.getKubernetesSerialization().asJson(profiles);
        try {
            if (read == null) {
                client.resource(new LeaseBuilder().withMetadata(new ObjectMetaBuilder().withName(lease)
                        .withNamespace(namespace).addToLabels("app.kubernetes.io/component", "pnp-endpoint")
                        .addToAnnotations(HOLDERS, json).build()).withNewSpec().endSpec().build()).create();
            } else {
                read.getMetadata().getAnnotations().put(HOLDERS, json);
                client.resource(read).update();
            }
            return true;
        } catch (KubernetesClientException e) {
            if (e.getCode() == HttpURLConnection.HTTP_CONFLICT) {
                return false;
            }
            throw e;
        }
    }

    /** {@link InstallSlots#holds} of the router as this replica knows it. */
    private boolean holds(String serial, Instant takenAt, Instant now) {
        Optional<PnpDeviceStatus> status = devices.resource(serial).map(PnpDevice::getStatus)
                .filter(s -> s.step() != null && s.phase() != null);
        return InstallSlots.holds(status.map(s -> Step.valueOf(s.step().name())),
                status.map(s -> Phase.valueOf(s.phase().name())), takenAt, now);
    }

    /** Among the profile's routers waiting in UPGRADE_NEEDED without a slot, longest waiting first. */
    private int placeInLine(String profile, String serial, Map<String, String> holders) {
        List<String> waiting = devices.list().stream()
                .filter(d -> d.identity().profile().equals(profile) && d.step() == Step.UPGRADE_NEEDED
                        && !holders.containsKey(d.serial()))
                .sorted(Comparator.comparing((Device d) -> d.progress().stepSince()).thenComparing(Device::serial))
                .map(Device::serial).toList();
        int ahead = waiting.indexOf(serial);
        return ahead < 0 ? waiting.size() + 1 : ahead + 1;
    }

    /** The annotation's profiles and their holders; none when there is no Lease or no annotation yet. */
    private TreeMap<String, TreeMap<String, String>> holders(Lease read) {
        if (read == null) {
            return new HolderMap();
        }
        if (read.getMetadata().getAnnotations() == null) {
            read.getMetadata().setAnnotations(new TreeMap<>());
        }
        String json = read.getMetadata().getAnnotations().get(HOLDERS);
        return json == null ? new HolderMap() : client.getKubernetesSerialization().unmarshal(json, HolderMap.class);
    }

    /** The annotation's JSON: profile, then serial, then since when it holds its slot. */
    private static final class HolderMap extends TreeMap<String, TreeMap<String, String>> {
    }
}

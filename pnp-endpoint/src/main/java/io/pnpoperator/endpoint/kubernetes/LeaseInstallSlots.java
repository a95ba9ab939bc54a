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
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Install slots in the API server: one Lease per profile ({@code pnp-installs-<profile>}) whose annotation lists the
 * routers holding a slot and since when. A slot is taken by updating the Lease as read (its resourceVersion): of two
 * replicas taking the last slot at once, one is refused with 409 and reads again. Slots of routers that no longer
 * hold them ({@link InstallSlots#holds}) are freed by the next admission; the routers' steps come from the informer.
 */
public final class LeaseInstallSlots implements InstallSlots {

    static final String HOLDERS = "pnp.pnpoperator.io/install-slots";
    private static final int TRIES = 8;

    private final KubernetesClient client;
    private final String namespace;
    private final KubernetesDeviceStore devices;

    public LeaseInstallSlots(KubernetesClient client, String namespace, KubernetesDeviceStore devices) {
        this.client = client;
        this.namespace = namespace;
        this.devices = devices;
    }

    @Override
    public Admission admit(String profile, String serial, int limit, Instant now) {
        try {
            for (int attempt = 0; attempt < TRIES; attempt++) {
                Lease lease = client.leases().inNamespace(namespace).withName(leaseName(profile)).get();
                TreeMap<String, String> holders = lease == null ? new TreeMap<>() : holders(lease);
                boolean freed = holders.entrySet().removeIf(h -> !holds(h.getKey(), Instant.parse(h.getValue()), now));
                if (!holders.containsKey(serial) && holders.size() >= limit) {
                    return new InLine(placeInLine(profile, serial, holders), holders.size());
                }
                boolean taking = holders.putIfAbsent(serial, now.toString()) == null;
                if (!taking && !freed) {
                    return new Admitted();
                }
                if (written(lease, profile, holders)) {
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
    private boolean written(Lease read, String profile, Map<String, String> holders) {
        String json = client.getKubernetesSerialization().asJson(holders);
        try {
            if (read == null) {
                client.resource(new LeaseBuilder().withMetadata(new ObjectMetaBuilder().withName(leaseName(profile))
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

    @SuppressWarnings("unchecked") // the annotation holds a JSON object of strings, as written above
    private TreeMap<String, String> holders(Lease lease) {
        if (lease.getMetadata().getAnnotations() == null) {
            lease.getMetadata().setAnnotations(new TreeMap<>());
        }
        String json = lease.getMetadata().getAnnotations().get(HOLDERS);
        return json == null ? new TreeMap<>()
                : new TreeMap<>(client.getKubernetesSerialization().unmarshal(json, Map.class));
    }

    /** {@code pnp-installs-<profile>}, shortened with a hash where the profile's name is too long for it. */
    static String leaseName(String profile) {
        String name = "pnp-installs-" + profile;
        if (name.length() <= 253) {
            return name;
        }
        try {
            String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(profile.getBytes(StandardCharsets.UTF_8))).substring(0, 10);
            return name.substring(0, 242) + "-" + hash;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

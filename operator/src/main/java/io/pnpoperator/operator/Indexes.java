package io.pnpoperator.operator;

import io.pnpoperator.crds.device.PnpDevice;
import java.util.List;

/** Keys of the operator's cache indexes: "namespace/name", and devices filed by the profile they name. */
final class Indexes {

    static final String DEVICES_BY_PROFILE = "profile";

    private Indexes() {
    }

    static String key(String namespace, String name) {
        return namespace + "/" + name;
    }

    /** The key of the profile a device names, for {@link #DEVICES_BY_PROFILE}; none when it names none. */
    static List<String> profileOf(PnpDevice device) {
        return device.getSpec().profile() == null ? List.of()
                : List.of(key(device.getMetadata().getNamespace(), device.getSpec().profile()));
    }
}

package io.pnpoperator.operator;

import io.pnpoperator.crds.device.PnpDevice;
import io.pnpoperator.toolkit.kubernetes.Keys;
import java.util.List;

/** The operator's cache index of devices by the profile they name ({@link Keys} of the profile). */
final class Indexes {

    static final String DEVICES_BY_PROFILE = "profile";

    private Indexes() {
    }

    /** The key of the profile a device names, for {@link #DEVICES_BY_PROFILE}; none when it names none. */
    static List<String> profileOf(PnpDevice device) {
        return device.getSpec().profile() == null ? List.of()
                : List.of(Keys.of(device.getMetadata().getNamespace(), device.getSpec().profile()));
    }
}

package io.pnpoperator.endpoint.artifacts;

import java.io.IOException;
import java.util.Optional;

/** Where a device's day-0 configuration comes from: files on the lab bench, ConfigMaps in a cluster. */
public interface DayZeroConfigs {

    /** The configuration text for a device (serial: a validated UDI serial); empty when there is none. */
    Optional<byte[]> forDevice(String serial) throws IOException;
}

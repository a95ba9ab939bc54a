package io.pnpoperator.endpoint.protocol;

import java.util.Optional;

/**
 * A device reporting the outcome of a request ({@code POST /pnp/WORK-RESPONSE}).
 *
 * @param service    the service answered, or {@link Service#FAULT} when the device did not understand the request
 * @param correlator the exchange this answers; a fault may carry none
 * @param error      the device's own account of a failure ({@code errorInfo}, or the fault's code and string)
 * @param report     what the device reported on success (command output, device information, ...)
 */
public record WorkResponse(Udi udi, Service service, Optional<String> correlator, boolean success,
                           Optional<DeviceError> error, Report report) implements DeviceMessage {

    /** The device's error text for logs and status, whether it came as {@code errorInfo} or as a fault. */
    public String errorText() {
        return error.map(DeviceError::describe).orElse(service + " failed without errorInfo");
    }
}

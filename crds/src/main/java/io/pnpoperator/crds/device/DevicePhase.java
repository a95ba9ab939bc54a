package io.pnpoperator.crds.device;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The coarse view of a device shown by {@code kubectl get pnpdevices}. */
public enum DevicePhase {
    @JsonProperty("Pending") PENDING,
    @JsonProperty("Provisioning") PROVISIONING,
    @JsonProperty("Blocked") BLOCKED,
    @JsonProperty("Failed") FAILED,
    @JsonProperty("Provisioned") PROVISIONED,
    @JsonProperty("Held") HELD,
    @JsonProperty("Unclaimed") UNCLAIMED
}

package io.pnpoperator.endpoint.workflow;

import java.time.Instant;

/** The circumstances of one message from a device: its address, the time, and the download links. */
public record Contact(String ipAddress, Instant now, Links links) {
}

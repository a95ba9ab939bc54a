package io.pnpoperator.endpoint.protocol;

/**
 * A device asking for work ({@code POST /pnp/WORK-REQUEST}). The correlator names this exchange and is
 * echoed on the server's answer; a device that retries after a timeout sends the same correlator again.
 *
 * @param authRequired the device wants credentials ({@code usr}/{@code pwd}) on the server's messages
 */
public record WorkRequest(Udi udi, String correlator, String hostname, boolean authRequired) implements DeviceMessage {
}

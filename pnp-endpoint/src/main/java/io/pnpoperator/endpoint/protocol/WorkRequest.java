package io.pnpoperator.endpoint.protocol;

/**
 * A device asking for work ({@code POST /pnp/WORK-REQUEST}). The correlator names this exchange and is
 * echoed on the server's answer; a device that retries after a timeout sends the same correlator again.
 */
public record WorkRequest(Udi udi, String correlator, String hostname) implements DeviceMessage {
}

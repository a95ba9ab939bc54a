package io.pnpoperator.endpoint.protocol;

/**
 * A device asking for work ({@code POST /pnp/WORK-REQUEST}). The correlator names this exchange and is
 * echoed on the server's answer; a device that retries after a timeout sends the same correlator again.
 *
 * @param authRequired    the device wants credentials ({@code usr}/{@code pwd}) on the server's messages
 * @param noStartupConfig the device says it started without a startup configuration (its reload reason says
 *                        {@code startupConfigPresent false}): blank, as from the factory or after an erase
 */
public record WorkRequest(Udi udi, String correlator, String hostname, boolean authRequired, boolean noStartupConfig)
        implements DeviceMessage {
}

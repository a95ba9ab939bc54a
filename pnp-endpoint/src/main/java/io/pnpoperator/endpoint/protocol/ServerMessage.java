package io.pnpoperator.endpoint.protocol;

import java.util.Optional;

/** What the server answers: work for the device, or bye to end the exchange. */
public sealed interface ServerMessage permits ServerMessage.Bye, ServerMessage.Request {

    Udi udi();

    String correlator();

    /** The device's login, on every message to a device that asked for it. */
    Optional<Credentials> credentials();

    /** The service this answer belongs to, as counted in metrics and recorded in history. */
    Service service();

    /**
     * Acknowledges a device's work response, success or failure: the device comes back with a new work
     * request within seconds.
     */
    record Bye(Udi udi, String correlator, Optional<Credentials> credentials) implements ServerMessage {
        @Override
        public Service service() {
            return Service.WORK_INFO;
        }
    }

    /** One piece of work for the device, echoing the correlator of the exchange it belongs to. */
    record Request(Udi udi, String correlator, Work work, Optional<Credentials> credentials) implements ServerMessage {
        @Override
        public Service service() {
            return work.service();
        }
    }
}

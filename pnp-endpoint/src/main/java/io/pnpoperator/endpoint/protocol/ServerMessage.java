package io.pnpoperator.endpoint.protocol;

/** What the server answers: work for the device, or bye to end the exchange. */
public sealed interface ServerMessage permits ServerMessage.Bye, ServerMessage.Request {

    Udi udi();

    String correlator();

    /** The service this answer belongs to, as counted in metrics and recorded in history. */
    Service service();

    /** Ends an exchange; the device comes back with a new work request within seconds. */
    record Bye(Udi udi, String correlator) implements ServerMessage {
        @Override
        public Service service() {
            return Service.WORK_INFO;
        }
    }

    /** One piece of work for the device, echoing the correlator of the exchange it belongs to. */
    record Request(Udi udi, String correlator, Work work) implements ServerMessage {
        @Override
        public Service service() {
            return work.service();
        }
    }
}

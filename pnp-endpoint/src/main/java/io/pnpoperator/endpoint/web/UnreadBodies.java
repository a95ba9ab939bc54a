package io.pnpoperator.endpoint.web;

import jakarta.servlet.ServletException;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ValveBase;
import org.apache.coyote.ActionCode;

/**
 * A request answered before its body was read whole (refused as too large, too slow, not XML, or turned away) has
 * its connection closed after the answer, without reading the rest. Tomcat would otherwise read the rest of the
 * body on the request's thread to keep the connection alive, up to 2 MB, and a client dripping a byte every few
 * seconds (each byte resetting the read timeout) would hold that thread for hours after being refused. An engine
 * valve, so that it acts after the answer is complete: the error state it sets would make the host's valve replace
 * the answer (a 503 with Retry-After) with an error page.
 */
class UnreadBodies extends ValveBase {

    UnreadBodies() {
        super(true);
    }

    @Override
    public void invoke(Request request, Response response) throws IOException, ServletException {
        getNext().invoke(request, response);
        if (request.isAsyncStarted()) {
            return; // a download answered on another thread; its request has no body
        }
        AtomicBoolean fullyRead = new AtomicBoolean();
        request.getCoyoteRequest().action(ActionCode.REQUEST_BODY_FULLY_READ, fullyRead);
        if (!fullyRead.get()) {
            request.getCoyoteRequest().action(ActionCode.DISABLE_SWALLOW_INPUT, null);
        }
    }
}

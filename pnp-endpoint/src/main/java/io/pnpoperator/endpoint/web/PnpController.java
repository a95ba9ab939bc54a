package io.pnpoperator.endpoint.web;

import io.pnpoperator.endpoint.PnpProperties;
import io.pnpoperator.endpoint.metrics.PnpMetrics;
import io.pnpoperator.endpoint.protocol.DeviceMessage;
import io.pnpoperator.endpoint.protocol.PnpCodec;
import io.pnpoperator.endpoint.protocol.ProtocolException;
import io.pnpoperator.endpoint.protocol.ProtocolException.Problem;
import io.pnpoperator.endpoint.protocol.WorkRequest;
import io.pnpoperator.endpoint.protocol.WorkResponse;
import io.pnpoperator.endpoint.provisioning.DeviceDialog;
import io.pnpoperator.endpoint.workflow.Contact;
import jakarta.servlet.http.HttpServletRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.time.Clock;
import java.time.Instant;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/** The device side of PnP: parse, let the dialog decide and store, answer. No decisions here. */
@RestController
class PnpController {

    private static final MediaType XML = MediaType.parseMediaType("text/xml;charset=UTF-8");

    private final PnpCodec codec;
    private final DeviceDialog dialog;
    private final PnpMetrics metrics;
    private final PnpProperties properties;
    private final Clock clock;

    PnpController(PnpCodec codec, DeviceDialog dialog, PnpMetrics metrics, PnpProperties properties, Clock clock) {
        this.codec = codec;
        this.dialog = dialog;
        this.metrics = metrics;
        this.properties = properties;
        this.clock = clock;
    }

    /** "A server is here": devices probe it before their first work request. */
    @GetMapping("/pnp/HELLO")
    ResponseEntity<Void> hello() {
        return ResponseEntity.ok().build();
    }

    @PostMapping("/pnp/WORK-REQUEST")
    ResponseEntity<byte[]> workRequest(HttpServletRequest request) throws IOException, ProtocolException {
        return exchange(request, WorkRequest.class);
    }

    @PostMapping("/pnp/WORK-RESPONSE")
    ResponseEntity<byte[]> workResponse(HttpServletRequest request) throws IOException, ProtocolException {
        return exchange(request, WorkResponse.class);
    }

    private ResponseEntity<byte[]> exchange(HttpServletRequest request, Class<? extends DeviceMessage> expected)
            throws IOException, ProtocolException {
        DeviceMessage message = codec.readDevice(body(request));
        if (!expected.isInstance(message)) {
            throw new ProtocolException(Problem.UNSUPPORTED_MESSAGE, request.getRequestURI() + " takes a "
                    + (expected == WorkRequest.class ? "work-info <info>" : "<response>") + " message");
        }
        Contact contact = new Contact(request.getRemoteAddr(), clock.instant(), RequestLinks.of(properties.publicUrl(),
                ServletUriComponentsBuilder.fromContextPath(request).toUriString()));
        DeviceDialog.Exchange exchange = dialog.handle(message, contact);
        metrics.exchanged(message, exchange);
        return ResponseEntity.ok().contentType(XML).body(codec.write(exchange.answer()));
    }

    /**
     * Reads at most the configured body size, within the body timeout: a larger body is refused without being read
     * whole, a slower one before it holds a thread for long. A body that says it is something else than XML is
     * refused unread; one that says nothing is read as XML, as PnP agents send it.
     */
    private byte[] body(HttpServletRequest request) throws IOException, ProtocolException {
        String type = request.getContentType();
        if (type != null && !isXml(type)) {
            throw new ProtocolException(Problem.NOT_XML, "Content-Type '" + type + "' is not accepted: PnP messages "
                    + "are text/xml");
        }
        long limit = properties.maxBodySize().toBytes();
        if (request.getContentLengthLong() > limit) {
            throw tooLarge(request.getContentLengthLong() + " bytes", limit);
        }
        Instant deadline = clock.instant().plus(properties.limits().bodyTimeout());
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        byte[] chunk = new byte[8192];
        try (InputStream in = request.getInputStream()) {
            for (int n = in.read(chunk); n >= 0; n = in.read(chunk)) {
                body.write(chunk, 0, n);
                if (body.size() > limit) {
                    throw tooLarge("more than " + limit + " bytes", limit);
                }
                if (clock.instant().isAfter(deadline)) {
                    throw tooSlow(body.size());
                }
            }
        } catch (IOException e) {
            // Tomcat reports a read that timed out as the client's abort, with the timeout as its cause.
            if (e instanceof SocketTimeoutException || e.getCause() instanceof SocketTimeoutException) {
                throw tooSlow(body.size());
            }
            throw e;
        }
        return body.toByteArray();
    }

    private ProtocolException tooSlow(int received) {
        return new ProtocolException(Problem.BODY_TOO_SLOW, "body not received within "
                + properties.limits().bodyTimeout().toSeconds() + " s (" + received + " bytes came)");
    }

    private static boolean isXml(String contentType) {
        try {
            MediaType type = MediaType.parseMediaType(contentType);
            return type.getSubtype().equals("xml") || type.getSubtype().endsWith("+xml");
        } catch (InvalidMediaTypeException e) {
            return false;
        }
    }

    private static ProtocolException tooLarge(String size, long limit) {
        return new ProtocolException(Problem.BODY_TOO_LARGE, "body of " + size + " is over the limit of " + limit + " bytes");
    }
}

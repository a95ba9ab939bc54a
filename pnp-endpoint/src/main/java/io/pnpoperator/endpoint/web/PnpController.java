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
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/** The device side of PnP: parse, let the dialog decide and store, answer. No decisions here. */
@RestController
class PnpController {

    private static final Logger log = LoggerFactory.getLogger(PnpController.class);
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

    /** Reads at most the configured body size; a larger body is refused without being read whole. */
    private byte[] body(HttpServletRequest request) throws IOException, ProtocolException {
        long limit = properties.maxBodySize().toBytes();
        if (request.getContentLengthLong() > limit) {
            throw tooLarge(request.getContentLengthLong() + " bytes", limit);
        }
        try (InputStream in = request.getInputStream()) {
            byte[] body = in.readNBytes((int) limit + 1);
            if (body.length > limit) {
                throw tooLarge("more than " + limit + " bytes", limit);
            }
            return body;
        }
    }

    private static ProtocolException tooLarge(String size, long limit) {
        return new ProtocolException(Problem.BODY_TOO_LARGE, "body of " + size + " is over the limit of " + limit + " bytes");
    }

    @ExceptionHandler(ProtocolException.class)
    ResponseEntity<String> refused(ProtocolException e, HttpServletRequest request) {
        log.warn("refused {} from {}: {}", request.getRequestURI(), request.getRemoteAddr(), e.getMessage());
        HttpStatus status = e.problem() == Problem.BODY_TOO_LARGE ? HttpStatus.PAYLOAD_TOO_LARGE : HttpStatus.BAD_REQUEST;
        return ResponseEntity.status(status).contentType(MediaType.TEXT_PLAIN).body(e.getMessage() + "\n");
    }
}

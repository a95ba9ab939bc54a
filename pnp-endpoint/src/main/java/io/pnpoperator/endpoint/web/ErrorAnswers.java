package io.pnpoperator.endpoint.web;

import io.pnpoperator.endpoint.protocol.ProtocolException;
import io.pnpoperator.endpoint.store.StoreUnavailableException;
import jakarta.servlet.http.HttpServletRequest;
import java.util.UUID;
import org.apache.catalina.connector.ClientAbortException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.TypeMismatchException;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.ErrorResponse;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Every error answer of both ports, in one place. What a client did wrong is told precisely (the refused
 * message's reason); what went wrong inside never leaves the server: no SQL, no stack trace, no class name in a
 * body — a reference the log line carries instead.
 */
@RestControllerAdvice
class ErrorAnswers {

    private static final Logger log = LoggerFactory.getLogger(ErrorAnswers.class);
    /** How soon a router should try again when the store cannot be written. */
    static final String RETRY_AFTER_SECONDS = "30";

    @ExceptionHandler(ProtocolException.class)
    ResponseEntity<String> refused(ProtocolException e, HttpServletRequest request) {
        log.warn("refused {} from {}: {}", request.getRequestURI(), request.getRemoteAddr(), e.getMessage());
        HttpStatus status = switch (e.problem()) {
            case BODY_TOO_LARGE -> HttpStatus.PAYLOAD_TOO_LARGE;
            case BODY_TOO_SLOW -> HttpStatus.REQUEST_TIMEOUT;
            case NOT_XML -> HttpStatus.UNSUPPORTED_MEDIA_TYPE;
            default -> HttpStatus.BAD_REQUEST;
        };
        return text(status, e.getMessage());
    }

    /** The store cannot be written (a full disk, the database or API server away): try again later. */
    @ExceptionHandler(StoreUnavailableException.class)
    ResponseEntity<String> storeUnavailable(StoreUnavailableException e, HttpServletRequest request) {
        String reference = reference();
        log.error("{} {} from {}: the device store cannot be written [{}]", request.getMethod(),
                request.getRequestURI(), request.getRemoteAddr(), reference, e);
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).header("Retry-After", RETRY_AFTER_SECONDS)
                .contentType(MediaType.TEXT_PLAIN).body("the device store cannot be written now; nothing was changed, "
                        + "try again later [" + reference + "]\n");
    }

    /** The client went away mid-request: nobody to answer, nothing wrong inside. */
    @ExceptionHandler(ClientAbortException.class)
    void clientGone(ClientAbortException e, HttpServletRequest request) {
        log.warn("{} {} from {}: connection lost ({})", request.getMethod(), request.getRequestURI(),
                request.getRemoteAddr(), e.toString());
    }

    /** An admin request whose body is not the JSON expected, or a path variable of the wrong type. */
    @ExceptionHandler({HttpMessageNotReadableException.class, TypeMismatchException.class})
    ResponseEntity<String> unreadable(Exception e, HttpServletRequest request) {
        log.warn("refused {} {} from {}: {}", request.getMethod(), request.getRequestURI(), request.getRemoteAddr(),
                e.getMessage());
        return text(HttpStatus.BAD_REQUEST, "the request is not what " + request.getRequestURI() + " takes");
    }

    /** Spring's own refusals (wrong method, missing parameter, ...): their status and its reason phrase. */
    @ExceptionHandler(Exception.class)
    ResponseEntity<String> failed(Exception e, HttpServletRequest request) {
        if (e instanceof ErrorResponse known && known.getStatusCode().is4xxClientError()) {
            HttpStatusCode status = known.getStatusCode();
            log.warn("refused {} {} from {}: {}", request.getMethod(), request.getRequestURI(),
                    request.getRemoteAddr(), e.getMessage());
            String reason = HttpStatus.resolve(status.value()) == null ? "refused"
                    : HttpStatus.resolve(status.value()).getReasonPhrase().toLowerCase();
            return text(status, reason);
        }
        String reference = reference();
        log.error("{} {} from {} failed [{}]", request.getMethod(), request.getRequestURI(), request.getRemoteAddr(),
                reference, e);
        return text(HttpStatus.INTERNAL_SERVER_ERROR, "internal error; the server log has the details [" + reference
                + "]");
    }

    private static ResponseEntity<String> text(HttpStatusCode status, String message) {
        return ResponseEntity.status(status).contentType(MediaType.TEXT_PLAIN).body(message + "\n");
    }

    /** Short enough to read out on a phone call, unique enough to find the log line. */
    private static String reference() {
        return UUID.randomUUID().toString().substring(0, 8);
    }
}

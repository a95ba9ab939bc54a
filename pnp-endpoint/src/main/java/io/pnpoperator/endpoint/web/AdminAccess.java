package io.pnpoperator.endpoint.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.pnpoperator.endpoint.PnpProperties;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Who may use the admin API ({@code /api/}): what {@link AdminGate} the mode gives decides, from the request's
 * {@code Authorization} header and what it asks to do. Health and metrics stay open for probes and Prometheus; the
 * dashboard page itself holds no data (its requests to the API carry the caller's credentials).
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 20)
class AdminAccess extends OncePerRequestFilter {

    /** The request attribute naming who was let in (Verdict.caller), for the moves they make. */
    static final String CALLER = "pnp.admin.caller";

    private static final Logger log = LoggerFactory.getLogger(AdminAccess.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final PnpProperties properties;
    private final AdminGate gate;

    AdminAccess(PnpProperties properties, AdminGate gate) {
        this.properties = properties;
        this.gate = gate;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return request.getLocalPort() != properties.adminPort() || !request.getRequestURI().startsWith("/api/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        AdminGate.Verdict verdict = gate.decide(Optional.ofNullable(request.getHeader("Authorization")),
                request.getMethod(), request.getRequestURI());
        if (verdict.allowed()) {
            request.setAttribute(CALLER, verdict.caller());
            chain.doFilter(request, response);
            return;
        }
        log.warn("admin {} {} from {} refused: {}", request.getMethod(), request.getRequestURI(),
                request.getRemoteAddr(), verdict.reason());
        response.setStatus(verdict.authenticated() ? HttpServletResponse.SC_FORBIDDEN
                : HttpServletResponse.SC_UNAUTHORIZED);
        if (!verdict.authenticated()) {
            response.setHeader("WWW-Authenticate", "Bearer realm=\"pnp-admin\"");
        }
        response.setContentType("application/json");
        JSON.writeValue(response.getWriter(), Map.of("error", verdict.reason()));
    }
}

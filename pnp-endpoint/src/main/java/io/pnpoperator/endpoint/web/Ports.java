package io.pnpoperator.endpoint.web;

import io.pnpoperator.endpoint.PnpProperties;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import org.apache.catalina.connector.Connector;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Two ports, two audiences. Devices reach only the PnP paths and their downloads on the device port;
 * the admin API, the dashboard, health and metrics answer only on the admin port, bound to loopback by
 * default. Anything else is a 404, so a device network never sees the admin surface.
 */
@Component
class Ports extends OncePerRequestFilter implements WebServerFactoryCustomizer<TomcatServletWebServerFactory> {

    static final List<String> DEVICE_PATHS = List.of("/pnp/", "/images/", "/files/", "/configs/");
    static final List<String> ADMIN_PATHS = List.of("/api/", "/dashboard", "/actuator");

    private final PnpProperties properties;

    Ports(PnpProperties properties) {
        this.properties = properties;
    }

    @Override
    public void customize(TomcatServletWebServerFactory factory) {
        factory.setPort(properties.devicePort());
        Connector admin = new Connector(TomcatServletWebServerFactory.DEFAULT_PROTOCOL);
        admin.setPort(properties.adminPort());
        admin.setProperty("address", properties.adminAddress());
        factory.addAdditionalTomcatConnectors(admin);
        factory.addEngineValves(new UnreadBodies());
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String path = request.getRequestURI();
        boolean onAdminPort = request.getLocalPort() == properties.adminPort();
        if (onAdminPort && path.equals("/")) {
            response.sendRedirect("/dashboard");
            return;
        }
        List<String> allowed = onAdminPort ? ADMIN_PATHS : DEVICE_PATHS;
        if (allowed.stream().noneMatch(path::startsWith)) {
            response.sendError(HttpServletResponse.SC_NOT_FOUND);
            return;
        }
        chain.doFilter(request, response);
    }
}

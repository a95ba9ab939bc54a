package io.pnpoperator.endpoint.web;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.pnpoperator.endpoint.PnpProperties;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.servlet.config.annotation.AsyncSupportConfigurer;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * The device port's share of the server per client. One source address has at most
 * {@code pnp.limits.requests-per-address} PnP messages handled at once; beyond, it is answered 503 with Retry-After
 * before its body is read, so a client sending bodies slowly, or opening many connections, holds at most that many
 * of the server's threads, and every other address keeps the rest. Downloads that the kernel cannot send
 * ({@code sendfile}, plain HTTP only) are copied by their own pool of {@code pnp.limits.download-threads}, so routers
 * copying an image slowly never take the threads the PnP dialog runs on.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
class DeviceTraffic extends OncePerRequestFilter implements WebMvcConfigurer {

    private static final Logger log = LoggerFactory.getLogger(DeviceTraffic.class);
    static final String RETRY_AFTER_SECONDS = "10";
    /** How long a copy may take: a 1 GB image at 100 kB/s. */
    private static final Duration LONGEST_DOWNLOAD = Duration.ofHours(3);

    private final PnpProperties properties;
    private final Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();
    private final Counter turnedAway;

    DeviceTraffic(PnpProperties properties, MeterRegistry registry) {
        this.properties = properties;
        this.turnedAway = Counter.builder("pnp.requests.turned.away")
                .description("Device port requests answered 503 because their address had too many in flight")
                .register(registry);
    }

    /** Only messages with a body: a download's request has none, and the kernel or the download pool sends it. */
    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return request.getLocalPort() != properties.devicePort() || !request.getMethod().equals("POST");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String address = request.getRemoteAddr();
        AtomicInteger count = inFlight.computeIfAbsent(address, a -> new AtomicInteger());
        try {
            if (count.incrementAndGet() > properties.limits().requestsPerAddress()) {
                turnedAway.increment();
                log.warn("turned away {} {} from {}: {} requests of that address in flight (pnp.limits."
                        + "requests-per-address)", request.getMethod(), request.getRequestURI(), address,
                        count.get() - 1);
                response.setStatus(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
                response.setHeader("Retry-After", RETRY_AFTER_SECONDS);
                response.setHeader("Connection", "close");
                response.setContentType("text/plain");
                response.getWriter().write("too many requests from " + address + " at once; try again in "
                        + RETRY_AFTER_SECONDS + " s\n");
                return;
            }
            chain.doFilter(request, response);
        } finally {
            if (count.decrementAndGet() == 0) {
                inFlight.remove(address, count);
            }
        }
    }

    @Override
    public void configureAsyncSupport(AsyncSupportConfigurer configurer) {
        ThreadPoolTaskExecutor downloads = new ThreadPoolTaskExecutor();
        downloads.setThreadNamePrefix("download-");
        downloads.setCorePoolSize(properties.limits().downloadThreads());
        downloads.setMaxPoolSize(properties.limits().downloadThreads());
        downloads.setAllowCoreThreadTimeOut(true);
        downloads.initialize();
        configurer.setTaskExecutor(downloads).setDefaultTimeout(LONGEST_DOWNLOAD.toMillis());
    }
}

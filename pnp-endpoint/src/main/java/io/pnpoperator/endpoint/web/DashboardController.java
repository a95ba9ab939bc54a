package io.pnpoperator.endpoint.web;

import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.Resource;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** The quick-look page that replaces the old dashboard; it reads /api/devices every 5 seconds. */
@RestController
class DashboardController {

    private static final Resource PAGE = new ClassPathResource("dashboard/dashboard.html");

    @GetMapping("/dashboard")
    ResponseEntity<Resource> dashboard() {
        return ResponseEntity.ok().contentType(MediaType.TEXT_HTML).body(PAGE);
    }
}

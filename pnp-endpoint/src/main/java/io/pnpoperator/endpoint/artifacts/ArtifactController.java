package io.pnpoperator.endpoint.artifacts;

import io.pnpoperator.endpoint.artifacts.ArtifactCatalog.Kind;
import io.pnpoperator.endpoint.metrics.PnpMetrics;
import io.pnpoperator.endpoint.provisioning.DeviceDialog;
import io.pnpoperator.toolkit.files.FileDigests;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import org.springframework.core.io.Resource;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.WebRequest;

/**
 * Downloads for devices. Images and files: only those the profile names, with ETag (the MD5) and HTTP
 * ranges, so an interrupted 700 MB copy resumes. Day-0 configs: only to the device in CONFIG_START, once, at
 * the URL last sent to it, from the address it was sent to, within its lifetime; any other request gets the
 * same 404 as a missing file.
 */
@RestController
class ArtifactController {

    private static final Pattern SERIAL = Pattern.compile("[A-Z0-9]{1,32}");

    private final ArtifactCatalog catalog;
    private final DayZeroConfigs configs;
    private final DeviceDialog dialog;
    private final PnpMetrics metrics;
    private final Clock clock;

    ArtifactController(ArtifactCatalog catalog, DayZeroConfigs configs, DeviceDialog dialog, PnpMetrics metrics,
                       Clock clock) {
        this.catalog = catalog;
        this.configs = configs;
        this.dialog = dialog;
        this.metrics = metrics;
        this.clock = clock;
    }

    @GetMapping("/images/{name}")
    ResponseEntity<Resource> image(@PathVariable String name, WebRequest request) {
        return serve(Kind.IMAGE, name, request);
    }

    @GetMapping("/files/{name}")
    ResponseEntity<Resource> file(@PathVariable String name, WebRequest request) {
        return serve(Kind.FILE, name, request);
    }

    /** The URL works once: using it up is stored before the config is sent. */
    @GetMapping("/configs/{secret}/{serial}.cfg")
    ResponseEntity<byte[]> config(@PathVariable String secret, @PathVariable String serial, HttpServletRequest request)
            throws IOException {
        String device = serial.toUpperCase(Locale.ROOT);
        boolean granted = SERIAL.matcher(device).matches()
                && dialog.handOutConfig(device, secret, request.getRemoteAddr(), clock.instant());
        Optional<byte[]> text = granted ? configs.forDevice(device) : Optional.empty();
        text.ifPresent(t -> metrics.sent(t.length));
        return text.map(t -> ResponseEntity.ok().contentType(MediaType.TEXT_PLAIN).cacheControl(CacheControl.noStore())
                .body(t)).orElseGet(() -> ResponseEntity.notFound().build());
    }

    private ResponseEntity<Resource> serve(Kind kind, String name, WebRequest request) {
        Optional<FileDigests.Digest> artifact = catalog.find(kind, name);
        if (artifact.isEmpty()) {
            return ResponseEntity.notFound().build();
        }
        FileDigests.Digest a = artifact.get();
        String etag = "\"" + a.md5() + "\"";
        if (request.checkNotModified(etag)) {
            return null;
        }
        return ResponseEntity.ok().eTag(etag).lastModified(a.modified())
                .cacheControl(CacheControl.maxAge(Duration.ofHours(1)))
                .contentType(MediaType.APPLICATION_OCTET_STREAM)
                .body(new CountedFileResource(a.path(), metrics::sent));
    }
}

package io.pnpoperator.endpoint.artifacts;

import io.pnpoperator.endpoint.artifacts.ArtifactCatalog.Kind;
import io.pnpoperator.endpoint.metrics.PnpMetrics;
import io.pnpoperator.endpoint.store.DeviceStore;
import io.pnpoperator.endpoint.workflow.Step;
import io.pnpoperator.toolkit.files.FileDigests;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
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
 * ranges, so an interrupted 700 MB copy resumes. Day-0 configs: only to the device in CONFIG_START,
 * at the URL with its current token; any other request gets the same 404 as a missing file.
 */
@RestController
class ArtifactController {

    private final ArtifactCatalog catalog;
    private final DayZeroConfigs configs;
    private final DeviceStore store;
    private final PnpMetrics metrics;

    ArtifactController(ArtifactCatalog catalog, DayZeroConfigs configs, DeviceStore store, PnpMetrics metrics) {
        this.catalog = catalog;
        this.configs = configs;
        this.store = store;
        this.metrics = metrics;
    }

    @GetMapping("/images/{name}")
    ResponseEntity<Resource> image(@PathVariable String name, WebRequest request) {
        return serve(Kind.IMAGE, name, request);
    }

    @GetMapping("/files/{name}")
    ResponseEntity<Resource> file(@PathVariable String name, WebRequest request) {
        return serve(Kind.FILE, name, request);
    }

    @GetMapping("/configs/{token}/{serial}.cfg")
    ResponseEntity<byte[]> config(@PathVariable String token, @PathVariable String serial) throws IOException {
        boolean current = store.find(serial).map(DeviceStore.Stored::device)
                .filter(d -> d.step() == Step.CONFIG_START && d.exchange().configToken().filter(token::equals).isPresent())
                .isPresent();
        Optional<byte[]> text = current ? configs.forDevice(serial) : Optional.empty();
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

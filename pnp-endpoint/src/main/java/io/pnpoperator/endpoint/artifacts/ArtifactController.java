package io.pnpoperator.endpoint.artifacts;

import io.pnpoperator.endpoint.artifacts.ArtifactCatalog.Kind;
import io.pnpoperator.endpoint.metrics.PnpMetrics;
import io.pnpoperator.endpoint.provisioning.DeviceDialog;
import io.pnpoperator.toolkit.files.FileDigests;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.time.Clock;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.ServletWebRequest;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

/**
 * Downloads for devices. Images and files: only those the profile names, with ETag (the MD5) and HTTP
 * ranges, so an interrupted 700 MB copy resumes. Day-0 configs: only to the device in CONFIG_START, once, at
 * the URL last sent to it, from the address it was sent to, within its lifetime; any other request gets the
 * same 404 as a missing file.
 */
@RestController
class ArtifactController {

    private static final Pattern SERIAL = Pattern.compile("[A-Z0-9]{1,32}");
    /** Tomcat's sendfile: set by the connector when it can, read by it after the response headers are written. */
    private static final String SENDFILE_SUPPORTED = "org.apache.tomcat.sendfile.support";
    private static final String SENDFILE_FILE = "org.apache.tomcat.sendfile.filename";
    private static final String SENDFILE_START = "org.apache.tomcat.sendfile.start";
    private static final String SENDFILE_END = "org.apache.tomcat.sendfile.end";

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
    ResponseEntity<?> image(@PathVariable String name, HttpServletRequest request, ServletWebRequest web) {
        return serve(Kind.IMAGE, name, request, web);
    }

    @GetMapping("/files/{name}")
    ResponseEntity<?> file(@PathVariable String name, HttpServletRequest request, ServletWebRequest web) {
        return serve(Kind.FILE, name, request, web);
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

    /**
     * A file, whole or the one range asked (a copy that resumes), with its MD5 as ETag. Where the connection allows
     * it (plain HTTP) the kernel sends the file ({@code sendfile}) and no thread waits on a slow router; otherwise
     * a download thread copies it, never one of the threads the PnP dialog runs on.
     */
    private ResponseEntity<?> serve(Kind kind, String name, HttpServletRequest request, ServletWebRequest web) {
        Optional<FileDigests.Look> look = catalog.look(kind, name);
        if (look.isEmpty() || look.get() instanceof FileDigests.Missing) {
            return ResponseEntity.notFound().build();
        }
        // A file replaced and not measured yet is sent as it is now, without an ETag: no cache keeps it as the old.
        Optional<FileDigests.Digest> measured = look.get() instanceof FileDigests.Measured m ? Optional.of(m.digest())
                : Optional.empty();
        Path path = measured.map(FileDigests.Digest::path).orElseGet(() -> ((FileDigests.Measuring) look.get()).path());
        long size;
        try {
            size = Files.size(path);
        } catch (IOException e) {
            return ResponseEntity.notFound().build();
        }
        Optional<String> etag = measured.map(d -> "\"" + d.md5() + "\"");
        if (etag.isPresent() && web.checkNotModified(etag.get(), measured.get().modified().toEpochMilli())) {
            return null;
        }
        String ifRange = request.getHeader(HttpHeaders.IF_RANGE);
        ByteRange range = ByteRange.of(ifRange == null || etag.filter(ifRange::equals).isPresent()
                ? request.getHeader(HttpHeaders.RANGE) : null, size);
        if (range.kind() == ByteRange.Kind.UNSATISFIABLE) {
            return ResponseEntity.status(HttpStatus.REQUESTED_RANGE_NOT_SATISFIABLE)
                    .header(HttpHeaders.CONTENT_RANGE, "bytes */" + size).build();
        }
        ResponseEntity.BodyBuilder answer = ResponseEntity.status(range.kind() == ByteRange.Kind.PART
                        ? HttpStatus.PARTIAL_CONTENT : HttpStatus.OK)
                .header(HttpHeaders.ACCEPT_RANGES, "bytes").contentType(MediaType.APPLICATION_OCTET_STREAM)
                .contentLength(range.length());
        measured.ifPresent(d -> answer.eTag(etag.get()).lastModified(d.modified())
                .cacheControl(CacheControl.maxAge(Duration.ofHours(1))));
        if (range.kind() == ByteRange.Kind.PART) {
            answer.header(HttpHeaders.CONTENT_RANGE, "bytes " + range.start() + "-" + (range.end() - 1) + "/" + size);
        }
        if (request.getMethod().equals("HEAD")) {
            return answer.build();
        }
        if (Boolean.TRUE.equals(request.getAttribute(SENDFILE_SUPPORTED))) {
            request.setAttribute(SENDFILE_FILE, path.toAbsolutePath().toString());
            request.setAttribute(SENDFILE_START, range.start());
            request.setAttribute(SENDFILE_END, range.end());
            metrics.sent(range.length());
            return answer.build();
        }
        StreamingResponseBody copy = out -> {
            try (FileChannel file = FileChannel.open(path, StandardOpenOption.READ)) {
                WritableByteChannel to = Channels.newChannel(out);
                for (long at = range.start(); at < range.end(); ) {
                    long sent = file.transferTo(at, range.end() - at, to);
                    if (sent <= 0) {
                        break; // the file shrank under us: the router's MD5 check catches the short copy
                    }
                    at += sent;
                    metrics.sent(sent);
                }
            }
        };
        return answer.body(copy);
    }
}

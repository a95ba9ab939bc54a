package io.pnpoperator.endpoint.kubernetes;

import io.pnpoperator.toolkit.files.FileDigests;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This endpoint's own copy of the artifacts, for clusters whose volumes one node at a time can mount (the
 * usual ReadWriteOnce): the operator keeps the volume and serves it read-only; each endpoint fills a folder of
 * its own with every artifact of the ready profiles, verifies each copy against the MD5 the operator measured,
 * and puts it in place only then (a rename). Until a copy is in place, the routers that need it are held as for
 * any missing file, and told to come back.
 */
public final class ArtifactMirror implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ArtifactMirror.class);

    private final Supplier<Iterable<ClusterProfiles.Wanted>> wanted;
    private final URI source;
    private final Path volume;
    private final FileDigests digests = new FileDigests();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "pnp-artifact-mirror");
        t.setDaemon(true);
        return t;
    });

    /**
     * @param source where the operator serves the volume ({@code http://<operator>:8080/artifacts/})
     * @param volume this endpoint's folder, with images/ and files/
     */
    public ArtifactMirror(Supplier<Iterable<ClusterProfiles.Wanted>> wanted, URI source, Path volume) {
        this.wanted = wanted;
        this.source = source;
        this.volume = volume;
    }

    /** Looks every {@code every} for artifacts missing here or not what the profiles say. */
    public void start(Duration every) {
        worker.scheduleWithFixedDelay(this::sync, 0, every.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** One pass: every artifact wanted and not here as it should be is copied; the number copied. */
    int sync() {
        int copied = 0;
        for (ClusterProfiles.Wanted artifact : wanted.get()) {
            try {
                if (!current(artifact)) {
                    copy(artifact);
                    copied++;
                }
            } catch (IOException | RuntimeException e) {
                log.warn("could not copy artifact {} from {}: {}", artifact.path(), source, e.toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return copied;
            }
        }
        return copied;
    }

    private boolean current(ClusterProfiles.Wanted artifact) throws IOException {
        Optional<FileDigests.Digest> here = digests.of(volume.resolve(artifact.path()));
        return here.isPresent() && here.get().md5().equalsIgnoreCase(artifact.md5());
    }

    private void copy(ClusterProfiles.Wanted artifact) throws IOException, InterruptedException {
        Path target = volume.resolve(artifact.path());
        Files.createDirectories(target.getParent());
        Path partial = target.resolveSibling("." + target.getFileName() + ".partial");
        HttpResponse<InputStream> answer = http.send(HttpRequest.newBuilder(source.resolve(artifact.path())).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        String md5;
        try (DigestInputStream in = new DigestInputStream(answer.body(), FileDigests.md5());
             OutputStream out = Files.newOutputStream(partial)) {
            if (answer.statusCode() != 200) {
                throw new IOException("HTTP " + answer.statusCode());
            }
            in.transferTo(out);
            md5 = HexFormat.of().formatHex(in.getMessageDigest().digest());
        }
        if (!md5.equalsIgnoreCase(artifact.md5())) {
            Files.deleteIfExists(partial);
            throw new IOException("the copy has MD5 " + md5 + ", the profile says " + artifact.md5());
        }
        Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        log.info("artifact {} copied from {} ({} bytes, MD5 {})", artifact.path(), source, Files.size(target), md5);
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }
}

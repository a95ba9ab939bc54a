package io.pnpoperator.endpoint.artifacts;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.function.LongConsumer;
import org.springframework.core.io.FileSystemResource;

/** A file served to a device that reports the bytes actually read out (ranges skip without counting). */
final class CountedFileResource extends FileSystemResource {

    private final LongConsumer sent;

    CountedFileResource(Path path, LongConsumer sent) {
        super(path);
        this.sent = sent;
    }

    @Override
    public InputStream getInputStream() throws IOException {
        return new FilterInputStream(super.getInputStream()) {
            @Override
            public int read() throws IOException {
                int b = super.read();
                if (b >= 0) {
                    sent.accept(1);
                }
                return b;
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                int n = super.read(buffer, offset, length);
                if (n > 0) {
                    sent.accept(n);
                }
                return n;
            }
        };
    }
}

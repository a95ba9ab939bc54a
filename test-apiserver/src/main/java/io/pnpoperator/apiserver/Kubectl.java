package io.pnpoperator.apiserver;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The real kubectl (v1.33, installed into {@code .tools/} by {@code ./run-tests}) run against a
 * {@link StrictApiServer}, as a user runs it.
 */
public final class Kubectl {

    private final Path binary;
    private final Path kubeconfig;

    public Kubectl(StrictApiServer server, Path folder, String namespace) {
        this.binary = binary();
        this.kubeconfig = server.kubeconfig(folder.resolve("kubeconfig"), namespace);
    }

    /** What one kubectl command printed, and how it ended. */
    public record Result(int exitCode, String out, String err) {

        /** The output of a command that must have succeeded. */
        public String ok() {
            if (exitCode != 0) {
                throw new AssertionError("kubectl ended " + exitCode + ": " + err + out);
            }
            return out;
        }
    }

    public Result run(String... args) {
        List<String> command = new ArrayList<>(List.of(binary.toString(), "--kubeconfig", kubeconfig.toString()));
        command.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(command).start();
            CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(process.getErrorStream()));
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("kubectl " + String.join(" ", args) + " did not end in 120 s");
            }
            return new Result(process.exitValue(), out, new String(err.join(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static byte[] readAll(java.io.InputStream in) {
        try {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code .tools/kubectl} at the top of the repository, whichever module's tests ask. */
    private static Path binary() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve(".tools/kubectl");
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("no .tools/kubectl: ./run-tests installs it (kubectl v1.33 from npm)");
    }
}

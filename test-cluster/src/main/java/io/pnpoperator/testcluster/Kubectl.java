package io.pnpoperator.testcluster;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** The control plane's own kubectl (the same release, built by {@code tools/kube/build}), run as a user runs it. */
public final class Kubectl {

    private final Path binary;
    private final Path kubeconfig;
    private final List<String> options;

    Kubectl(Path binary, Path kubeconfig) {
        this(binary, kubeconfig, List.of());
    }

    private Kubectl(Path binary, Path kubeconfig, List<String> options) {
        this.binary = binary;
        this.kubeconfig = kubeconfig;
        this.options = options;
    }

    /** This kubectl with {@code --namespace namespace}, as a user's context with that namespace would run it. */
    public Kubectl inNamespace(String namespace) {
        return new Kubectl(binary, kubeconfig, List.of("--namespace", namespace));
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
        return runWithInput(null, args);
    }

    /** A command that must succeed; printed with what it printed, as a user sees it, for the test's output. */
    public String said(String... args) {
        String out = run(args).ok();
        System.out.println("$ kubectl " + String.join(" ", args) + "\n" + out);
        return out;
    }

    /** kubectl with {@code args}, {@code input} on its standard input (or none). */
    public Result runWithInput(String input, String... args) {
        try {
            Process process = new ProcessBuilder(command(args)).start();
            try (var stdin = process.getOutputStream()) {
                if (input != null) {
                    stdin.write(input.getBytes(StandardCharsets.UTF_8));
                }
            }
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

    /** Starts a kubectl that runs until stopped ({@code get -w}, say); its output goes to {@code output}. */
    public Process start(Path output, String... args) {
        try {
            return new ProcessBuilder(command(args)).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private List<String> command(String... args) {
        List<String> command = new ArrayList<>(List.of(binary.toString(), "--kubeconfig", kubeconfig.toString()));
        command.addAll(options);
        command.addAll(List.of(args));
        return command;
    }

    private static byte[] readAll(InputStream in) {
        try {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

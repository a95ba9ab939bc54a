package io.pnpoperator.testcluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The control plane's binaries, as {@code tools/kube/build} builds them (or finds them already built). */
final class Binaries {

    private Binaries() {
    }

    /** The folder of etcd, kube-apiserver, kube-controller-manager and kubectl: {@code <dir>/k8s/<version>-linux-amd64}. */
    static Path built() {
        return folderPrintedBy("tools/kube/build", 3600);
    }

    /** Runs a build script of the repository that prints, last, the folder of what it built. */
    static Path folderPrintedBy(String script, int seconds) {
        String[] lines = run(List.of(repositoryFile(script).toString()), seconds).strip().split("\n");
        return Path.of(lines[lines.length - 1].strip());
    }

    /** {@code 1.37.2} of {@code .../k8s/1.37.2-linux-amd64}. */
    static String kubernetesVersion(Path binaries) {
        String folder = binaries.getFileName().toString();
        return folder.substring(0, folder.indexOf('-'));
    }

    /** As {@code etcd --version} says it: {@code etcd Version: 3.6.17}. */
    static String etcdVersion(Path binaries) {
        return run(List.of(binaries.resolve("etcd").toString(), "--version"), 30).lines().findFirst().orElse("etcd ?");
    }

    /** {@code relative} in the repository, whichever module's tests ask. */
    static Path repositoryFile(String relative) {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve(relative);
            if (Files.exists(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("no " + relative + " in this folder or above it");
    }

    private static String run(List<String> command, int seconds) {
        try {
            Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(seconds, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

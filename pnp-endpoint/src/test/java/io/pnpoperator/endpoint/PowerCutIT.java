package io.pnpoperator.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import io.pnpoperator.sim.DeviceOptions;
import io.pnpoperator.sim.PnpAgent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a power cut would find: the packaged server, watched by strace, answers a router only after the step it
 * stored for it is on the disk. A commit that SQLite has written into its log is in the operating system's page
 * cache, which survives a killed process ({@link ServerKilledIT}) but not a power cut or a crashed host: each
 * answer that follows a commit of its thread must follow an fsync of the log that finished after it.
 */
class PowerCutIT {

    private static final Pattern CALL = Pattern.compile("^(\\d+) +(?:<\\.\\.\\. )?(\\w+)(\\(| resumed>)(.*)$");
    /** The first argument, a file descriptor as {@code strace -y} shows it, is the database's log's. */
    private static final Pattern ON_DATABASE = Pattern.compile("^\\d+</[^>]*/pnp\\.db-wal>");

    @TempDir
    Path folder;
    PackagedServer server;

    @AfterEach
    void stop() throws InterruptedException {
        server.close();
    }

    @Test
    void everyAnswerAfterACommitWaitsForTheFileToReachTheDisk() throws Exception {
        server = PackagedServer.start(Lab.create(folder));
        Path trace = folder.resolve("strace.txt");
        Path log = folder.resolve("strace.log");
        Process strace = new ProcessBuilder("strace", "-f", "-y", "-s", "16",
                "-e", "trace=pwrite64,write,writev,fsync,fdatasync", "-o", trace.toString(),
                "-p", Long.toString(server.pid())).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            Instant until = Instant.now().plusSeconds(30);
            while (!Files.exists(log) || !Files.readString(log).contains("attached")) {
                assertThat(Instant.now()).as("strace attached: " + (Files.exists(log) ? Files.readString(log) : ""))
                        .isBefore(until);
                Thread.sleep(20);
            }
            List<PnpAgent> routers = server.routers("SYNC", 1, DeviceOptions.defaults().withSpeed(2000));
            PackagedServer.assertAllFinish(PackagedServer.runAll(routers, Instant.now().plusSeconds(120)), 120);
        } finally {
            strace.destroy();
            strace.waitFor();
        }

        Verdict verdict = read(Files.readAllLines(trace));
        System.out.printf("strace: %d answers after a commit of their thread, %d of them after an fsync of the "
                + "file that finished after that commit; %d fsyncs in all%n", verdict.afterACommit(),
                verdict.synced(), verdict.fsyncs());
        assertThat(verdict.afterACommit()).as("answers that stored a step (a router's ~25 transitions)")
                .isGreaterThan(20);
        assertThat(verdict.synced()).as("answers sent only once their commit was on the disk")
                .isEqualTo(verdict.afterACommit());
    }

    record Verdict(int afterACommit, int synced, int fsyncs) {
    }

    /**
     * Walks the trace in order. A call seen in two lines ({@code <unfinished ...>}, then {@code <... resumed>})
     * counts when it ends; an answer counts when its write starts.
     */
    static Verdict read(List<String> lines) {
        Map<String, String> unfinishedOnDatabase = new HashMap<>(); // thread -> call, begun on the database file
        Map<String, Integer> commitAt = new HashMap<>();             // thread -> line of its last database write
        int lastFsyncEnd = -1;
        int afterACommit = 0;
        int synced = 0;
        int fsyncs = 0;
        for (int i = 0; i < lines.size(); i++) {
            Matcher call = CALL.matcher(lines.get(i));
            if (!call.matches()) {
                continue;
            }
            String thread = call.group(1);
            String name = call.group(2);
            boolean resumed = call.group(3).equals(" resumed>");
            String rest = call.group(4);
            boolean onDatabase = ON_DATABASE.matcher(rest).find();
            if (!resumed && rest.contains("<unfinished ...>")) {
                if (onDatabase) {
                    unfinishedOnDatabase.put(thread, name);
                }
                continue;
            }
            boolean ended = resumed ? name.equals(unfinishedOnDatabase.remove(thread)) : onDatabase;
            if (ended && name.equals("pwrite64")) {
                commitAt.put(thread, i);
            } else if (ended && (name.equals("fsync") || name.equals("fdatasync"))) {
                lastFsyncEnd = i;
                fsyncs++;
            } else if (!resumed && (name.equals("write") || name.equals("writev")) && rest.contains("<socket:")
                    && rest.contains("HTTP/1.1 ")) {
                Integer commit = commitAt.remove(thread);
                if (commit != null) {
                    afterACommit++;
                    if (lastFsyncEnd > commit) {
                        synced++;
                    }
                }
            }
        }
        return new Verdict(afterACommit, synced, fsyncs);
    }
}

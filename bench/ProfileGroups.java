import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * Benchmark helper (not part of the build): reads a JFR recording and prints where the server's threads spent
 * their samples, by the group of the code on top of the stack (self time; the JDK's own methods count to the code
 * that called them, so that a socket read is Tomcat's and a file write the store's), the methods most often on top,
 * how much was under the store (inclusive), and the samples in SQLite's C code (JFR samples native code apart). Usage: java bench/ProfileGroups.java recording.jfr
 */
public class ProfileGroups {

    /** Group of a class, by the first prefix that matches; the project's own code by package. */
    private static final Map<String, String> GROUPS = new LinkedHashMap<>();

    static {
        GROUPS.put("org.sqlite.", "SQLite (JDBC, Java part)");
        GROUPS.put("com.zaxxer.hikari.", "Hikari pool");
        GROUPS.put("org.apache.tomcat.", "Tomcat");
        GROUPS.put("org.apache.catalina.", "Tomcat");
        GROUPS.put("org.apache.coyote.", "Tomcat");
        GROUPS.put("org.springframework.", "Spring");
        GROUPS.put("io.micrometer.", "Micrometer");
        GROUPS.put("ch.qos.logback.", "logging");
        GROUPS.put("org.slf4j.", "logging");
        GROUPS.put("com.fasterxml.", "Jackson/Woodstox XML");
        GROUPS.put("com.ctc.wstx.", "Jackson/Woodstox XML");
        GROUPS.put("org.codehaus.stax2.", "Jackson/Woodstox XML");
        GROUPS.put("io.pnpoperator.endpoint.protocol.", "project: protocol codec");
        GROUPS.put("io.pnpoperator.endpoint.workflow.", "project: workflow");
        GROUPS.put("io.pnpoperator.endpoint.store.", "project: store");
        GROUPS.put("io.pnpoperator.endpoint.artifacts.", "project: artifacts");
        GROUPS.put("io.pnpoperator.", "project: other");
        GROUPS.put("java.", "JDK");
        GROUPS.put("javax.", "JDK");
        GROUPS.put("jdk.", "JDK");
        GROUPS.put("sun.", "JDK");
    }

    private static final List<String> STORE_PATH = List.of("io.pnpoperator.endpoint.store.", "org.sqlite.",
            "com.zaxxer.hikari.", "org.springframework.jdbc.", "org.springframework.transaction.");

    public static void main(String[] args) throws Exception {
        if (args[0].equals("--perf")) {
            perf(Path.of(args[1]));
            return;
        }
        Map<String, Integer> self = new TreeMap<>();
        Map<String, Integer> methods = new TreeMap<>();
        Map<String, Integer> storeCallers = new TreeMap<>();
        int samples = 0;
        int underStore = 0;
        int inSqlite = 0;
        for (RecordedEvent event : RecordingFile.readAllEvents(Path.of(args[0]))) {
            if (event.getEventType().getName().equals("jdk.NativeMethodSample") && event.getStackTrace() != null
                    && !event.getStackTrace().getFrames().isEmpty()
                    && className(event.getStackTrace().getFrames().get(0)).startsWith("org.sqlite.")) {
                inSqlite++;
                continue;
            }
            if (!event.getEventType().getName().equals("jdk.ExecutionSample") || event.getStackTrace() == null
                    || event.getStackTrace().getFrames().isEmpty()) {
                continue;
            }
            List<RecordedFrame> frames = event.getStackTrace().getFrames();
            samples++;
            self.merge(frames.stream().map(ProfileGroups::className).map(ProfileGroups::group)
                    .filter(g -> !g.equals("JDK")).findFirst().orElse("JDK"), 1, Integer::sum);
            RecordedFrame top = frames.get(0);
            methods.merge(className(top) + "." + (top.getMethod() == null ? "?" : top.getMethod().getName()), 1,
                    Integer::sum);
            if (frames.stream().map(ProfileGroups::className).anyMatch(c -> STORE_PATH.stream().anyMatch(c::startsWith))) {
                underStore++;
                frames.stream().filter(f -> className(f).startsWith("io.pnpoperator.")).findFirst().ifPresent(f ->
                        storeCallers.merge(simpleName(className(f)) + "." + f.getMethod().getName(), 1, Integer::sum));
            }
        }
        final int all = Math.max(1, samples);
        System.out.printf("profile: %d samples of Java threads (by group: self time, JDK methods to their caller)%n",
                samples);
        self.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).forEach(e ->
                System.out.printf("  %-28s %5.1f %%%n", e.getKey(), 100.0 * e.getValue() / all));
        System.out.println("  methods most often on top:");
        methods.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(8)
                .forEach(e -> System.out.printf("    %5.1f %%  %s%n", 100.0 * e.getValue() / all, e.getKey()));
        System.out.printf("  under the store (inclusive: project store, Spring JDBC/tx, Hikari, SQLite's Java part): "
                + "%.1f %%%n", 100.0 * underStore / all);
        System.out.printf("  and %d samples in SQLite's C code (native samples, as many again as %.1f %% of the Java "
                + "ones: on the CPU, or waiting in it for its write lock or the disk)%n", inSqlite, 100.0 * inSqlite / all);
        storeCallers.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(6)
                .forEach(e -> System.out.printf("    %5.1f %%  from %s%n", 100.0 * e.getValue() / all, e.getKey()));
    }

    /** Each line of the report: share | thread | library | [k] or [.] symbol. */
    private static void perf(Path report) throws IOException {
        Map<String, Double> shares = new TreeMap<>();
        for (String line : Files.readAllLines(report)) {
            String[] fields = line.split("\\|", 4);
            if (line.startsWith("#") || fields.length < 4 || !fields[0].strip().endsWith("%")) {
                continue;
            }
            double share = Double.parseDouble(fields[0].strip().replace("%", ""));
            shares.merge(perfGroup(fields[1].strip(), fields[2].strip(), fields[3].substring(4).strip()), share,
                    Double::sum);
        }
        System.out.println("profile: all the server's CPU (perf), by group (the JDK's methods on their own here)");
        shares.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .filter(e -> e.getValue() >= 0.1)
                .forEach(e -> System.out.printf("  %-46s %5.1f %%%n", e.getKey(), e.getValue()));
    }

    private static String perfGroup(String thread, String library, String symbol) {
        if (thread.startsWith("C1 Compiler") || thread.startsWith("C2 Compiler")) {
            return "JVM: JIT compiler threads";
        }
        if (thread.equals("VM Thread") || thread.startsWith("GC ")) {
            return "JVM: collector";
        }
        if (library.contains("kernel")) {
            return "kernel (sockets, files, scheduling)";
        }
        if (library.contains("sqlitejdbc")) {
            return "SQLite (native)";
        }
        if (library.startsWith("libc")) {
            return "libc (malloc, locks)";
        }
        if (library.startsWith("[JIT]")) {
            return Arrays.stream(symbol.split(" ")).filter(t -> t.contains("(")).findFirst()
                    .map(method -> group(method.substring(0, method.indexOf('(')))).orElse("JVM: interpreter, stubs");
        }
        return library.equals("libjvm.so") ? "JVM: runtime" : "other native libraries";
    }

    private static String simpleName(String className) {
        return className.substring(className.lastIndexOf('.') + 1);
    }

    private static String className(RecordedFrame frame) {
        return frame.getMethod() == null || frame.getMethod().getType() == null ? ""
                : frame.getMethod().getType().getName();
    }

    private static String group(String className) {
        return GROUPS.entrySet().stream().filter(g -> className.startsWith(g.getKey())).map(Map.Entry::getValue)
                .findFirst().orElse("other");
    }
}

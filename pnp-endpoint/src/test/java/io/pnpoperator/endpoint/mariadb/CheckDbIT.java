package io.pnpoperator.endpoint.mariadb;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The command docs/lab.md documents: {@code java -jar pnp-endpoint.jar --check-db}, against a real server. */
@ExtendWith(MariaDbExtension.class)
class CheckDbIT {

    @Test
    void checkDbPrintsSuccessOrTheCauseAndExitsAccordingly(MariaDb db) throws Exception {
        Run ok = checkDb(db.datasourceArgs());
        assertThat(ok.exitCode()).isZero();
        assertThat(ok.output()).startsWith("MariaDB connection is successful: " + db.url());

        Run wrong = checkDb("--spring.datasource.url=" + db.url(), "--spring.datasource.username=" + MariaDb.USER,
                "--spring.datasource.password=wrong");
        assertThat(wrong.exitCode()).isEqualTo(1);
        assertThat(wrong.output()).startsWith("MariaDB connection failed: access denied for user 'pnp_user'");
    }

    record Run(int exitCode, String output) {
    }

    private static Run checkDb(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", Path.of("target/pnp-endpoint.jar").toAbsolutePath().toString(), "--check-db"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(process.exitValue(), output);
    }
}

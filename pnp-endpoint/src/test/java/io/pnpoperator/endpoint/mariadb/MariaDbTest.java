package io.pnpoperator.endpoint.mariadb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.pnpoperator.endpoint.Lab;
import io.pnpoperator.endpoint.PnpServer;
import io.pnpoperator.endpoint.Routers;
import io.pnpoperator.endpoint.store.DatabaseCheck;
import io.pnpoperator.endpoint.store.SchemaMigration;
import io.pnpoperator.sim.DeviceOptions;
import io.pnpoperator.sim.PnpAgent;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/** The standalone server on a real MariaDB server: the same workflow, its whole history in SQL. */
@ExtendWith(MariaDbExtension.class)
class MariaDbTest {

    static final DeviceOptions ROUTER = Routers.FAST;

    @TempDir
    Path folder;

    @Test
    void routerIsProvisionedWithEveryTransitionInTheTransitionsTable(MariaDb db) throws Exception {
        try (PnpServer server = PnpServer.start(Lab.create(folder), db.datasourceArgs())) {
            PnpAgent agent = Routers.router("FGL0000MDB1", server.deviceUrl(), ROUTER);
            assertThat(agent.run(Instant.now().plusSeconds(60)).finished()).isTrue();

            JsonNode device = server.device("FGL0000MDB1");
            assertThat(device.get("step").asText()).isEqualTo("FINISHED");
            List<String> fromApi = new ArrayList<>();
            device.get("history").forEach(t -> fromApi.add(t.get("sequence") + " " + t.get("from").asText() + " "
                    + t.get("to").asText() + " " + t.get("work").asText() + " " + t.get("result").asText()));
            assertThat(db.rows("SELECT CONCAT(seq, ' ', from_step, ' ', to_step, ' ', work, ' ', result) FROM transitions "
                    + "WHERE serial = ? ORDER BY seq", "FGL0000MDB1")).hasSize(Routers.TRANSITIONS).isEqualTo(fromApi);
            assertThat(db.rows("SELECT CONCAT(step, ' ', phase, ' ', running_version, ' ', config_applied, ' ', script_ran) "
                    + "FROM devices WHERE serial = ?", "FGL0000MDB1"))
                    .containsExactly("FINISHED Provisioned 17.14.1a 1 1");
            assertThat(db.rows("SELECT CONCAT(udi, ' ', profile) FROM devices WHERE serial = ?", "FGL0000MDB1"))
                    .containsExactly("PID:C1131-8PWB,VID:V01,SN:FGL0000MDB1 lab");
        }
    }

    @Test
    void theLabManualsSqlAnswersOnARealFleet(MariaDb db) throws Exception {
        try (PnpServer server = PnpServer.start(Lab.create(folder), db.datasourceArgs())) {
            assertThat(Routers.router("FGL0000SQL1", server.deviceUrl(), ROUTER).run(Instant.now().plusSeconds(60)).finished()).isTrue();
            assertThat(Routers.router("FGL0000SQL2", server.deviceUrl(), ROUTER.withBootflashFree(700_000_000L))
                    .run(Instant.now().plusSeconds(3)).finished()).isFalse();
        }
        db.sql("UPDATE pnp_db.devices SET step_since = step_since - INTERVAL 2 HOUR WHERE serial = 'FGL0000SQL2'");
        String manual = java.nio.file.Files.readString(Path.of("../docs/lab.md"));
        java.util.regex.Matcher block = java.util.regex.Pattern.compile("```sql\n(.*?)```", java.util.regex.Pattern.DOTALL)
                .matcher(manual);
        List<List<String>> answers = new ArrayList<>();
        while (block.find()) {
            try (Connection c = db.connect(); ResultSet rs = c.createStatement().executeQuery(block.group(1))) {
                List<String> rows = new ArrayList<>();
                while (rs.next()) {
                    rows.add(rs.getString(1) + " " + rs.getString(2));
                }
                answers.add(rows);
            }
        }
        assertThat(answers).hasSize(3);
        assertThat(answers.get(0)).contains("FINISHED Provisioned", "BOOTFLASH_NO_SPACE Blocked");
        assertThat(answers.get(1)).containsExactly("FGL0000SQL2 BOOTFLASH_NO_SPACE");
        assertThat(answers.get(2)).anySatisfy(row -> assertThat(row).startsWith("UPGRADE_RELOAD_NEEDED "));
    }

    @Test
    void serverRestartOnMariaDbLosesNothing(MariaDb db) throws Exception {
        try (PnpServer server = PnpServer.start(Lab.create(folder), db.datasourceArgs())) {
            PnpAgent agent = Routers.router("FGL0000MDB2", server.deviceUrl(), ROUTER.withSpeed(200));
            CompletableFuture<PnpAgent.Result> running = Routers.inBackground(agent, 90);
            awaitStep(server, "FGL0000MDB2", "UPGRADE_RELOAD");
            server.restart();
            assertThat(running.get(90, TimeUnit.SECONDS).finished()).isTrue();
            assertThat(sequences(db, "FGL0000MDB2")).isEqualTo(LongStream.rangeClosed(1, Routers.TRANSITIONS).boxed().toList());
            assertThat(agent.router().completed()).containsEntry("image-install", 1).containsEntry("file-transfer", 2);
        }
    }

    /**
     * The database stops while a router is mid-workflow: routers' work requests are answered with a PnP backoff
     * (new serial and known alike), the admin API with 503 and Retry-After, readiness says DOWN, a scrape still
     * answers; once the database is back the router finishes with no transition lost or applied twice, without a
     * server restart.
     */
    @Test
    void aDatabaseOutageIsAnsweredWithBackoffsAndTheServerCarriesOnWhenItIsBack(MariaDb db) throws Exception {
        try (PnpServer server = PnpServer.start(Lab.create(folder), db.datasourceArgs())) {
            PnpAgent agent = Routers.router("FGL0000MDB3", server.deviceUrl(), ROUTER.withSpeed(200));
            CompletableFuture<PnpAgent.Result> running = Routers.inBackground(agent, 120);
            awaitStep(server, "FGL0000MDB3", "UPGRADE_RELOAD");
            db.stop();
            try {
                for (String serial : List.of("FGL0000MDB3", "FGL0000NEW1")) {
                    HttpResponse<String> refused = server.post("/pnp/WORK-REQUEST", ("<pnp xmlns=\"urn:cisco:pnp\" "
                            + "version=\"1.0\" udi=\"PID:C1131-8PWB,VID:V01,SN:" + serial + "\"><info xmlns=\"urn:cisco:"
                            + "pnp:work-info\" correlator=\"c-1\"/></pnp>").getBytes());
                    assertThat(refused.statusCode()).as(serial + ": " + refused.body()).isEqualTo(200);
                    assertThat(refused.body()).contains("urn:cisco:pnp:backoff", "cannot store progress now")
                            .doesNotContainIgnoringCase("sql").doesNotContain("Exception", "mariadb");
                }
                HttpResponse<String> admin = server.get(server.adminUrl(), "/api/devices");
                assertThat(admin.statusCode()).isEqualTo(503);
                assertThat(admin.headers().firstValue("Retry-After")).contains("30");
                assertThat(server.get(server.adminUrl(), "/actuator/health/readiness").body()).contains("DOWN");
                assertThat(server.get(server.adminUrl(), "/actuator/prometheus").statusCode()).isEqualTo(200);
            } finally {
                db.launch();
            }
            assertThat(running.get(120, TimeUnit.SECONDS).finished()).isTrue();
            assertThat(sequences(db, "FGL0000MDB3")).isEqualTo(LongStream.rangeClosed(1, Routers.TRANSITIONS).boxed().toList());
            assertThat(agent.router().completed()).containsEntry("image-install", 1).containsEntry("file-transfer", 2);
            assertThat(server.device("FGL0000NEW1")).isNull();
        }
    }

    @Test
    void twoServersOnOneDatabaseNeverApplyAStepTwice(MariaDb db) throws Exception {
        Lab lab = Lab.create(folder);
        try (PnpServer first = PnpServer.start(lab, db.datasourceArgs());
             PnpServer second = PnpServer.start(lab, withDataDir(db.datasourceArgs(), folder.resolve("data2")))) {
            List<PnpAgent> agents = provisionedAlternating(first, second, "MDB", 20);
            for (PnpAgent agent : agents) {
                assertThat(sequences(db, agent.router().serial())).isEqualTo(LongStream.rangeClosed(1, Routers.TRANSITIONS).boxed().toList());
                assertThat(agent.router().completed()).containsEntry("cli-config", 1).containsEntry("image-install", 1)
                        .containsEntry("file-transfer", 2).containsEntry("config-upgrade", 1);
            }
            double conflicts = first.metric("pnp_store_conflicts_total") + second.metric("pnp_store_conflicts_total");
            System.out.printf("two servers on one MariaDB, 20 routers alternating: %.0f write conflicts, each decided again%n",
                    conflicts);
        }
    }

    @Test
    void twoServersOnOneDatabaseLetNoMoreImageInstallsThroughThanTheRolloutAllows(MariaDb db) throws Exception {
        Lab lab = Lab.create(folder);
        lab.write("pnp-profile.yaml", Lab.PROFILE.replace("spec:\n", "spec:\n  rollout: {maxConcurrentImageInstalls: 2}\n"));
        try (PnpServer first = PnpServer.start(lab, db.datasourceArgs());
             PnpServer second = PnpServer.start(lab, withDataDir(db.datasourceArgs(), folder.resolve("data2")))) {
            List<Instant[]> installs = Routers.installs(provisionedAlternating(first, second, "ROL", 10));
            assertThat(installs).hasSize(10);
            assertThat(Routers.mostAtOnce(installs)).as("installs at once, as the routers lived them").isEqualTo(2);
        }
    }

    /** Routers {@code <prefix>00001…} sending each message to the other server, all run until provisioned. */
    private static List<PnpAgent> provisionedAlternating(PnpServer first, PnpServer second, String prefix, int count)
            throws Exception {
        List<URI> both = List.of(first.deviceUrl(), second.deviceUrl());
        List<PnpAgent> agents = IntStream.rangeClosed(1, count)
                .mapToObj(i -> Routers.routerOf(String.format("%s%05d", prefix, i), both, ROUTER)).toList();
        List<CompletableFuture<PnpAgent.Result>> runs = agents.stream().map(a -> Routers.inBackground(a, 90)).toList();
        for (CompletableFuture<PnpAgent.Result> r : runs) {
            assertThat(r.get(90, TimeUnit.SECONDS).finished()).isTrue();
        }
        return agents;
    }

    /**
     * An outage in the middle of the first migration, as MariaDB leaves it: the history table made, the
     * devices table created (each DDL statement commits on its own), V1 marked failed. The next attempt
     * (the mirror's retry, the server's next start) completes the tables instead of stopping at the mark.
     */
    @Test
    void aMigrationCutOffByAnOutageIsCompletedByTheNextAttempt(MariaDb db) throws Exception {
        // A database of its own: the others of this class are migrated already.
        db.sql("CREATE DATABASE pnp_outage", "GRANT ALL ON pnp_outage.* TO '" + MariaDb.USER + "'@'%'");
        String url = "jdbc:mariadb://127.0.0.1:" + db.port() + "/pnp_outage";
        DataSource dataSource = new DriverManagerDataSource(url, MariaDb.USER, MariaDb.PASSWORD);
        Flyway.configure().dataSource(dataSource).baselineVersion("0").load().baseline();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute(Files.readString(Path.of("src/main/resources/db/migration/V1__devices_and_transitions.sql"))
                    .split(";")[0].replaceAll("(?m)^--.*$", ""));
            s.execute("INSERT INTO flyway_schema_history (installed_rank, version, description, type, script, checksum, "
                    + "installed_by, execution_time, success) VALUES (2, '1', 'devices and transitions', 'SQL', "
                    + "'V1__devices_and_transitions.sql', 0, 'pnp_user', 0, 0)");
        }

        assertThatThrownBy(() -> SchemaMigration.migrate(dataSource)).as("the failed mark is seen once")
                .hasMessageContaining("failed migration to version 1");
        SchemaMigration.migrate(dataSource);

        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT version, success FROM flyway_schema_history WHERE version > '0' "
                     + "ORDER BY installed_rank")) {
            List<String> applied = new ArrayList<>();
            while (rs.next()) {
                applied.add(rs.getString(1) + ":" + rs.getBoolean(2));
            }
            assertThat(applied).as("every migration, each once").containsExactlyElementsOf(migrations());
            assertThat(s.executeQuery("SELECT COUNT(*) FROM transitions").next()).isTrue();
            assertThat(s.executeQuery("SELECT udi, profile FROM devices").next()).as("V2's columns, no rows").isFalse();
        }
    }

    @Test
    void connectionCheckSaysWhatIsWrong(MariaDb db) {
        assertThat(DatabaseCheck.check(db.url(), MariaDb.USER, MariaDb.PASSWORD).message())
                .startsWith("MariaDB connection is successful: " + db.url() + " as 'pnp_user' (server 10.");
        DatabaseCheck.Result wrongPassword = DatabaseCheck.check(db.url(), MariaDb.USER, "wrong");
        assertThat(wrongPassword.ok()).isFalse();
        assertThat(wrongPassword.message()).startsWith("MariaDB connection failed: access denied for user 'pnp_user': "
                + "check spring.datasource.username and spring.datasource.password");
        assertThat(DatabaseCheck.check(db.url().replace("pnp_db", "nope_db"), MariaDb.USER, MariaDb.PASSWORD).message())
                .startsWith("MariaDB connection failed: no access to the database: it does not exist, or 'pnp_user' has "
                        + "no GRANT on it");
        assertThat(DatabaseCheck.check(db.url().replace("pnp_db", "nope_db"), "root", "").message())
                .startsWith("MariaDB connection failed: unknown database:");
        db.stop();
        try {
            DatabaseCheck.Result stopped = DatabaseCheck.check(db.url(), MariaDb.USER, MariaDb.PASSWORD);
            assertThat(stopped.ok()).isFalse();
            assertThat(stopped.message()).startsWith("MariaDB connection failed: cannot connect: ")
                    .contains("is the server running");
        } finally {
            db.launch();
        }
    }

    private static String[] withDataDir(String[] args, Path dataDir) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--pnp.data-dir=" + dataDir);
        return all.toArray(String[]::new);
    }

    private static void awaitStep(PnpServer server, String serial, String stepPrefix) throws InterruptedException {
        Instant until = Instant.now().plusSeconds(30);
        while (server.device(serial) == null || !server.device(serial).get("step").asText().startsWith(stepPrefix)) {
            assertThat(Instant.now()).as(serial + " never reached " + stepPrefix).isBefore(until);
            Thread.sleep(20);
        }
    }

    private static List<Long> sequences(MariaDb db, String serial) throws Exception {
        return db.rows("SELECT seq FROM transitions WHERE serial = ? ORDER BY seq", serial).stream()
                .map(Long::parseLong).toList();
    }

    /** "1:true", "2:true", … for each migration in the source tree (SQL, and Java where SQL cannot say it). */
    private static List<String> migrations() throws IOException {
        try (Stream<Path> sql = Files.list(Path.of("src/main/resources/db/migration"));
             Stream<Path> java = Files.list(Path.of("src/main/java/db/migration"))) {
            return Stream.concat(sql, java).map(f -> f.getFileName().toString())
                    .filter(n -> n.matches("V\\d+__.*\\.(sql|java)"))
                    .map(n -> Integer.parseInt(n.substring(1, n.indexOf("__")))).sorted().map(v -> v + ":true")
                    .toList();
        }
    }
}

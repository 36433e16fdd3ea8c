package com.relaycrm.fieldservice;

import static org.assertj.core.api.Assertions.assertThat;

import com.relaycrm.testsupport.ApiClient;
import com.relaycrm.testsupport.RelayJar;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.LocalDate;
import java.util.BitSet;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * A large CSV import whose process is killed with SIGKILL half-way: the other process, on the same PostgreSQL, revives
 * the dead db-scheduler execution and resumes from the last committed chunk; the counts end exact and no visit is
 * written twice.
 */
class ImportCrashIT {

    private static final String ADMIN = "import-crash-admin-token-0123456789";
    private static final int ROWS = Integer.getInteger("relay.import-crash.rows", 1_000_000);
    private static final String[] ANGELS = {
        "Sergio de Terra", "Jônatas Magalhães Lima", "Gabriel Torres Ferreira", "João Magalhães Neves", "Ana Souza"
    };
    private static final String[] POLOS = {
        "CE - SOBRAL", "PE - OLINDA", "BA - FEIRA DE SANTANA", "RJ - SAO GONÇALO", "SP - CAMPINAS"
    };

    @TempDir
    Path temp;

    /** The file and what a correct import of it must end with. */
    private record Generated(byte[] bytes, long lines, long distinctValid) {}

    /**
     * Shaped like bd_desafio_test.csv (comma-separated, both date styles, trailing blanks); every 500th line has an
     * impossible date and every 1000th line repeats the previous line's id_atendimento (a duplicate: the first wins).
     */
    static Generated generate(int rows) {
        StringBuilder csv = new StringBuilder(rows * 70);
        csv.append("id_atendimento,id_cliente,angel,polo,data_limite,data_de_atendimento\n");
        BitSet valid = new BitSet(rows + 1);
        LocalDate start = LocalDate.of(2021, 1, 1);
        long id = 0;
        for (int i = 1; i <= rows; i++) {
            boolean duplicate = i % 1000 == 0;
            boolean invalid = i % 500 == 250;
            if (!duplicate) {
                id++;
            }
            LocalDate visit = start.plusDays(i % 365);
            LocalDate limit = visit.plusDays(i % 4);
            csv.append(id).append(',').append(100_000_000L + i % 50_000).append(',');
            csv.append(ANGELS[i % ANGELS.length])
                    .append(',')
                    .append(POLOS[i % POLOS.length])
                    .append(',');
            if (invalid) {
                csv.append("31/02/2021");
            } else {
                csv.append("%02d/%02d/%04d".formatted(limit.getDayOfMonth(), limit.getMonthValue(), limit.getYear()));
            }
            csv.append(',');
            if (i % 2 == 0) {
                csv.append("%02d/%02d/%02d  "
                        .formatted(visit.getDayOfMonth(), visit.getMonthValue(), visit.getYear() % 100));
            } else {
                csv.append("%s %02d:%02d:%02d".formatted(visit, i % 24, i % 60, (i * 7) % 60));
            }
            csv.append('\n');
            if (!invalid) {
                valid.set((int) id);
            }
        }
        return new Generated(csv.toString().getBytes(StandardCharsets.UTF_8), rows, valid.cardinality());
    }

    @Test
    void anImportKilledHalfWayFinishesOnTheOtherProcessWithExactCounts() throws Exception {
        long began = System.nanoTime();
        Generated file = generate(ROWS);
        System.out.printf(
                "Generated %d lines (%d MB), %d distinct valid ids%n",
                file.lines(), file.bytes().length >> 20, file.distinctValid());
        try (EmbeddedPostgres database = EmbeddedPostgres.builder()
                .setDataDirectory(temp.resolve("pg"))
                .setPort(RelayJar.freePort())
                .start()) {
            Map<String, String> env = Map.of(
                    "SPRING_DATASOURCE_URL",
                    "jdbc:postgresql://localhost:" + database.getPort() + "/postgres",
                    "SPRING_DATASOURCE_USERNAME",
                    "postgres",
                    "RELAY_ADMIN_TOKEN",
                    ADMIN,
                    "RELAY_JOBS_POLLING_INTERVAL",
                    "PT0.5S",
                    // dead after 4 s without a heartbeat instead of 3 minutes
                    "RELAY_JOBS_HEARTBEAT_INTERVAL",
                    "PT1S",
                    "RELAY_JOBS_MISSED_HEARTBEATS_LIMIT",
                    "4",
                    "RELAY_FIELDSERVICE_IMPORT_CHUNK_ROWS",
                    Integer.toString(Math.max(1000, ROWS / 20)));
            try (RelayJar first =
                    RelayJar.start(temp, "relay-a", RelayJar.freePort(), env).awaitHealthy(120)) {
                ApiClient onA = first.client(ADMIN);
                ApiClient.Response accepted =
                        onA.sendBytes("POST", "/api/v1/atendimento/import_csv", "text/csv", file.bytes());
                assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
                String status = "/api/v1/atendimento/task_status/"
                        + accepted.json().get("task_id").asString();
                // Kill A once it has committed some chunks but not all; only then start B, so the job cannot have
                // been claimed by B and must be revived from A's dead execution.
                JsonNode progress = onA.get(status).json();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
                while (progress.get("progress").get("processed_rows").asLong() < file.lines() / 4
                        && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                    progress = onA.get(status).json();
                }
                long before = progress.get("progress").get("processed_rows").asLong();
                assertThat(progress.get("state").asString())
                        .as("still running when killed (the file is too small otherwise): " + progress)
                        .isEqualTo("STARTED");
                assertThat(before).isGreaterThan(0).isLessThan(file.lines());
                first.kill();
                System.out.println("Killed relay-a with SIGKILL after " + before + " of " + file.lines() + " rows");
                try (RelayJar second = RelayJar.start(temp, "relay-b", RelayJar.freePort(), env)
                        .awaitHealthy(120)) {
                    ApiClient onB = second.client(ADMIN);

                    deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
                    JsonNode done = onB.get(status).json();
                    while (!done.get("state").asString().equals("SUCCESS") && System.nanoTime() < deadline) {
                        assertThat(done.get("state").asString())
                                .as(done.toString())
                                .isNotEqualTo("FAILURE");
                        Thread.sleep(250);
                        done = onB.get(status).json();
                    }
                    assertThat(done.get("state").asString())
                            .as(done + "\n" + second.output())
                            .isEqualTo("SUCCESS");
                    JsonNode result = done.get("result");
                    assertThat(result.get("total_rows").asLong()).isEqualTo(file.lines());
                    assertThat(done.get("progress").get("processed_rows").asLong())
                            .isEqualTo(file.lines());
                    assertThat(result.get("inserted").asLong()).isEqualTo(file.distinctValid());
                    assertThat(result.get("updated").asLong()).isZero();
                    assertThat(result.get("unchanged").asLong()).isZero();
                    assertThat(result.get("rejected").asLong()).isEqualTo(file.lines() - file.distinctValid());
                    // SUCCESS commits just before the "finished" line is logged
                    String finished = "Import " + accepted.json().get("task_id").asString() + " finished";
                    deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                    while (!second.output().contains(finished) && System.nanoTime() < deadline) {
                        Thread.sleep(100);
                    }
                    assertThat(second.output())
                            .as("relay-b revived the dead execution and finished the import")
                            .contains("Reviving dead execution")
                            .contains(finished);

                    try (Connection sql = database.getPostgresDatabase().getConnection()) {
                        ResultSet visits = sql.createStatement()
                                .executeQuery(
                                        "SELECT count(*), count(DISTINCT id_atendimento) FROM fieldservice_visit");
                        visits.next();
                        assertThat(visits.getLong(1)).isEqualTo(file.distinctValid());
                        assertThat(visits.getLong(2)).isEqualTo(file.distinctValid());
                        ResultSet errors = sql.createStatement()
                                .executeQuery("SELECT count(*), count(DISTINCT line) FROM fieldservice_import_error");
                        errors.next();
                        assertThat(errors.getLong(1)).isEqualTo(file.lines() - file.distinctValid());
                        assertThat(errors.getLong(2)).isEqualTo(errors.getLong(1));
                    }
                }
            }
        }
        System.out.printf(
                "ImportCrashIT with %d rows took %d s%n",
                ROWS, TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - began));
    }
}

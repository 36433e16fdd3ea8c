package com.relaycrm.fieldservice.imports;

import static com.relaycrm.fieldservice.ImportSupport.counts;
import static com.relaycrm.fieldservice.ImportSupport.importAndWait;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.relaycrm.fieldservice.ImportSupport;
import com.relaycrm.testsupport.ApiClient;
import com.relaycrm.testsupport.HttpTestSupport;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * A killed import resumes from its last checkpoint. The "kill" is simulated: the job runs two chunks and stops, then
 * runs again and fails inside its fourth chunk before that chunk commits (as a process killed mid-transaction
 * would); finally the db-scheduler task runs it to the end, as db-scheduler does when it revives a dead execution.
 */
@TestPropertySource(properties = "relay.fieldservice.import.chunk-rows=10")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ImportResumeHttpTest extends HttpTestSupport {

    private static final String HEADER = "id_atendimento;id_cliente;angel;polo;data_limite;data_de_atendimento\n";

    @Autowired
    ImportUploads uploads;

    @Autowired
    ImportProcessor processor;

    @Autowired
    SchedulerClient scheduler;

    @Autowired
    OneTimeTask<Void> fieldserviceCsvImportTask;

    @Autowired
    JdbcClient jdbc;

    /** Line n (2..46) carries id 800000 + n - 1, with four bad lines; chunks are lines 2-11, 12-21, 22-31, 32-41, 42-46. */
    private static String file() {
        StringBuilder csv = new StringBuilder(HEADER);
        for (int line = 2; line <= 46; line++) {
            long id = 800000 + line - 1;
            String limit = "30/06/2021";
            switch (line) {
                case 5 -> limit = "31/02/2021"; // impossible date
                case 25 -> id = 800002; // duplicate of line 3, same chunk range as before the crash
                case 35 -> id = 800014; // duplicate of line 15, in a chunk written after the resume
                default -> {}
            }
            if (line == 44) {
                csv.append(id).append(";1;Too Few;SP - SANTOS\n");
                continue;
            }
            csv.append(id)
                    .append(';')
                    .append(9000 + line % 7)
                    .append(";Angel ")
                    .append(line % 4)
                    .append(";RS - POLO ")
                    .append(line % 3)
                    .append(';')
                    .append(limit)
                    .append(";29/06/2021 10:00\n");
        }
        return csv.toString();
    }

    private long importedVisits() {
        return jdbc.sql(
                        "SELECT count(*) FROM fieldservice_visit WHERE id_atendimento BETWEEN 800001 AND 800045 AND deleted_at IS NULL")
                .query(Long.class)
                .single();
    }

    @Test
    @Order(1) // first, while its file dominates the (nearly empty) table, so its summaries are deferred
    void killedImportResumesFromItsLastCheckpointWithExactCounts() {
        String csv = file();
        // Already recorded before the import: line 2 exactly as in the file (unchanged) and line 41 differently
        // (updated).
        String line2 = csv.lines().skip(1).findFirst().orElseThrow();
        String line41 = csv.lines().skip(40).findFirst().orElseThrow();
        assertThat(line41).startsWith("800040;");
        String before = HEADER + line2 + "\n" + line41.replaceFirst(";Angel \\d;", ";Someone Else;") + "\n";
        assertThat(counts(importAndWait(api, "", before.getBytes(StandardCharsets.UTF_8))))
                .isEqualTo("2 0 0 0");

        UUID id = uploads.store(
                new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)),
                new ImportUploads.Options(false, (char) 0, StandardCharsets.UTF_8, "admin"));
        assertThat(processor.process(id, 2, chunk -> {})).isFalse();
        assertThatThrownBy(() -> processor.process(id, Integer.MAX_VALUE, chunk -> {
                    if (chunk == 3) {
                        throw new ImportProcessor.SimulatedCrash();
                    }
                }))
                .isInstanceOf(ImportProcessor.SimulatedCrash.class);

        // Three chunks committed (lines 2-31): 8 + 10 + 9 inserted, line 2 unchanged, lines 5 and 25 rejected.
        JsonNode midway = api.get("/api/v1/atendimento/task_status/" + id).json();
        assertThat(midway.get("state").asString()).isEqualTo("STARTED");
        assertThat(midway.get("progress").get("processed_rows").asLong()).isEqualTo(30);
        assertThat(midway.get("progress").get("total_bytes").asLong()).isEqualTo(csv.length());
        assertThat(counts(midway)).isEqualTo("27 0 1 2");
        assertThat(importedVisits()).isEqualTo(2 + 27);
        // a dominating import writes without the visit list's indexes until it finishes, even across a crash
        assertThat(listIndexes()).isEmpty();
        assertThat(api.get("/api/v1/atendimento?id_cliente=9001").status()).isEqualTo(200);

        scheduler.schedule(fieldserviceCsvImportTask.instance(id.toString()), Instant.now());
        JsonNode done = ImportSupport.await(api, id.toString());
        assertThat(done.get("state").asString()).isEqualTo("SUCCESS");
        assertThat(counts(done)).isEqualTo("39 1 1 4");
        assertThat(done.get("result").get("total_rows").asLong()).isEqualTo(45);
        assertThat(done.get("progress").get("processed_rows").asLong()).isEqualTo(45);
        List<String> errors = new ArrayList<>();
        done.get("result")
                .get("errors")
                .forEach(e ->
                        errors.add(e.get("line").asLong() + " " + e.get("code").asString()));
        assertThat(errors).containsExactly("5 IMPOSSIBLE_DATE", "25 DUPLICATE", "35 DUPLICATE", "44 FIELD_COUNT");
        assertThat(done.get("result").get("errors").get(2).get("message").asString())
                .contains("line 15");
        assertThat(importedVisits()).isEqualTo(41);
        JsonNode updated = api.get("/api/v1/atendimento?id_atendimento=800040")
                .json()
                .get("data")
                .get(0);
        assertThat(updated.get("angel").asString()).isEqualTo("Angel 1");
        // The stored upload is released once the import has finished.
        assertThat(jdbc.sql("SELECT count(*) FROM fieldservice_import_block WHERE import_id = ?")
                        .param(id)
                        .query(Long.class)
                        .single())
                .isZero();
        // The import dominated the table, so its chunks skipped the summary triggers and the summaries were rebuilt
        // when it finished (after the resume): they match a from-scratch recomputation.
        assertThat(deferred(id)).isTrue();
        assertThat(ImportSupport.summaryMismatches(jdbc)).isZero();
        assertThat(listIndexes())
                .containsExactly(
                        "fieldservice_visit_angel",
                        "fieldservice_visit_attended",
                        "fieldservice_visit_cliente",
                        "fieldservice_visit_created",
                        "fieldservice_visit_data_limite",
                        "fieldservice_visit_polo",
                        "fieldservice_visit_updated");
        // Running the finished task again changes nothing.
        processor.process(id);
        assertThat(counts(api.get("/api/v1/atendimento/task_status/" + id).json()))
                .isEqualTo("39 1 1 4");
        // A re-import of the same file dominates the table too, but the table already holds it: the indexes stay
        // (a dropped and rebuilt index would have a new oid).
        List<Long> oids = listIndexOids();
        assertThat(counts(importAndWait(api, "", csv.getBytes(StandardCharsets.UTF_8))))
                .isEqualTo("0 0 41 4");
        assertThat(listIndexOids()).isEqualTo(oids).hasSize(7);
    }

    private List<String> listIndexes() {
        return jdbc.sql("""
                        SELECT indexname FROM pg_indexes WHERE tablename = 'fieldservice_visit'
                            AND indexname NOT IN ('fieldservice_visit_pkey', 'fieldservice_visit_id_atendimento')
                        ORDER BY indexname""").query((rs, n) -> rs.getString(1)).list();
    }

    private List<Long> listIndexOids() {
        return jdbc.sql("""
                        SELECT c.oid::bigint FROM pg_class c JOIN pg_index i ON i.indexrelid = c.oid
                        WHERE i.indrelid = 'fieldservice_visit'::regclass AND NOT i.indisprimary AND NOT i.indisunique
                        ORDER BY c.relname""").query((rs, n) -> rs.getLong(1)).list();
    }

    private Boolean deferred(UUID id) {
        return jdbc.sql("SELECT summaries_deferred FROM fieldservice_import WHERE id = ?")
                .param(id)
                .query(Boolean.class)
                .single();
    }

    private static String rows(long firstId, int count, String angel) {
        StringBuilder csv = new StringBuilder(HEADER);
        for (long id = firstId; id < firstId + count; id++) {
            csv.append(id)
                    .append(';')
                    .append(9100 + id % 5)
                    .append(';')
                    .append(angel)
                    .append(' ')
                    .append(id % 3)
                    .append(";SC - POLO ")
                    .append(id % 2)
                    .append(";30/06/2021;")
                    .append(id % 4 == 0 ? "" : "0" + (1 + id % 3) + "/07/2021 09:30")
                    .append('\n');
        }
        return csv.toString();
    }

    @Test
    void anIdRecordedDuringTheImportAboveItsPlainInsertThresholdIsUpsertedNotDuplicated() {
        // Chunks of 10: ids 850001-850010, 850011-850020, 850021-850030. While chunk 0 is being written, another
        // writer records 850025, above the maximum id that existed when the import started.
        String csv = rows(850001, 30, "Threshold Angel");
        UUID id = uploads.store(
                new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)),
                new ImportUploads.Options(false, (char) 0, StandardCharsets.UTF_8, "admin"));
        assertThat(processor.process(id, Integer.MAX_VALUE, chunk -> {
                    if (chunk == 0) {
                        ApiClient.Response created = api.post("/api/v1/atendimento", """
                                {"id_atendimento": 850025, "id_cliente": 77, "angel": "Elsewhere Angel",
                                 "polo": "AM - ELSEWHERE", "data_limite": "2021-08-10",
                                 "data_de_atendimento": "2021-08-11 10:00"}""");
                        assertThat(created.status()).as(created.body()).isEqualTo(201);
                    }
                }))
                .isTrue();
        JsonNode done = api.get("/api/v1/atendimento/task_status/" + id).json();
        assertThat(done.get("state").asString()).isEqualTo("SUCCESS");
        assertThat(counts(done)).isEqualTo("29 1 0 0");
        assertThat(jdbc.sql(
                                "SELECT count(*) FROM fieldservice_visit WHERE id_atendimento BETWEEN 850001 AND 850030 AND deleted_at IS NULL")
                        .query(Long.class)
                        .single())
                .isEqualTo(30);
        assertThat(api.get("/api/v1/atendimento?id_atendimento=850025")
                        .json()
                        .get("data")
                        .get(0)
                        .get("angel")
                        .asString())
                .isEqualTo("Threshold Angel 2");
        assertThat(ImportSupport.summaryMismatches(jdbc)).isZero();
    }

    @Test
    void aSmallImportIntoALargerTableFoldsEachChunkIntoTheSummaries() {
        assertThat(counts(importAndWait(api, "", rows(830001, 200, "Big Angel").getBytes(StandardCharsets.UTF_8))))
                .isEqualTo("200 0 0 0");
        assertThat(ImportSupport.summaryMismatches(jdbc)).isZero();
        // 12 rows against 200+ live visits: per-chunk summary triggers. Ids 830195-830200 change angel (updated),
        // 830201-830206 are new; one existing visit is deleted through the API first.
        assertThat(api.delete("/api/v1/atendimento/"
                                + api.get("/api/v1/atendimento?id_atendimento=830010")
                                        .json()
                                        .get("data")
                                        .get(0)
                                        .get("id")
                                        .asLong())
                        .status())
                .isEqualTo(204);
        String small = rows(830195, 12, "Small Angel");
        UUID id = uploads.store(
                new ByteArrayInputStream(small.getBytes(StandardCharsets.UTF_8)),
                new ImportUploads.Options(false, (char) 0, StandardCharsets.UTF_8, "admin"));
        processor.process(id);
        assertThat(counts(api.get("/api/v1/atendimento/task_status/" + id).json()))
                .isEqualTo("6 6 0 0");
        assertThat(deferred(id)).isFalse();
        assertThat(ImportSupport.summaryMismatches(jdbc)).isZero();
    }
}

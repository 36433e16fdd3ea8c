package com.relaycrm.fieldservice.imports;

import static com.relaycrm.fieldservice.ImportSupport.counts;
import static com.relaycrm.fieldservice.ImportSupport.importAndWait;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.relaycrm.fieldservice.ImportSupport;
import com.relaycrm.testsupport.HttpTestSupport;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
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
        // Running the finished task again changes nothing.
        processor.process(id);
        assertThat(counts(api.get("/api/v1/atendimento/task_status/" + id).json()))
                .isEqualTo("39 1 1 4");
    }
}

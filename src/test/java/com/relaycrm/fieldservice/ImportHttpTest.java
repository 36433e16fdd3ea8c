package com.relaycrm.fieldservice;

import static com.relaycrm.fieldservice.ImportSupport.counts;
import static com.relaycrm.fieldservice.ImportSupport.importAndWait;
import static org.assertj.core.api.Assertions.assertThat;

import com.relaycrm.platform.Role;
import com.relaycrm.testsupport.ApiClient;
import com.relaycrm.testsupport.HttpTestSupport;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/** Small chunks (7 rows) so every file here spans several checkpoints; a 256 KB limit to test 413 cheaply. */
@TestPropertySource(
        properties = {"relay.fieldservice.import.chunk-rows=7", "relay.fieldservice.import.max-upload-size=256KB"})
class ImportHttpTest extends HttpTestSupport {

    private static final String HEADER = "id_atendimento;id_cliente;angel;polo;data_limite;data_de_atendimento\n";

    @Autowired
    JdbcClient jdbc;

    private static byte[] sample() throws IOException {
        try (var in = ImportHttpTest.class.getResourceAsStream("/fieldservice/bd_desafio_test.csv")) {
            return in.readAllBytes();
        }
    }

    private JsonNode visit(long idAtendimento) {
        JsonNode page =
                api.get("/api/v1/atendimento?id_atendimento=" + idAtendimento).json();
        assertThat(page.get("data")).as(page.toString()).hasSize(1);
        return page.get("data").get(0);
    }

    private long visits(String where) {
        return jdbc.sql("SELECT count(*) FROM fieldservice_visit WHERE deleted_at IS NULL AND " + where)
                .query(Long.class)
                .single();
    }

    private static List<String> errors(JsonNode status) {
        List<String> errors = new ArrayList<>();
        status.get("result")
                .get("errors")
                .forEach(e -> errors.add(e.get("line").asLong() + " "
                        + e.get("column").asString() + " " + e.get("code").asString()));
        return errors;
    }

    @Test
    void sampleFileImportsWithEveryDateUnderstoodAndReimportChangesNothing() throws IOException {
        JsonNode status = importAndWait(api, "", sample());
        assertThat(counts(status)).isEqualTo("29 0 0 0");
        assertThat(status.get("result").get("total_rows").asLong()).isEqualTo(29);
        assertThat(status.get("progress").get("processed_rows").asLong()).isEqualTo(29);
        assertThat(status.get("progress").get("processed_bytes").asLong())
                .isEqualTo(status.get("progress").get("total_bytes").asLong())
                .isEqualTo(sample().length);
        assertThat(status.get("result").get("errors")).isEmpty();
        assertThat(status.get("result").get("errors_truncated").asBoolean()).isFalse();

        JsonNode shortYear = visit(590407); // 04/01/2022 and "31/12/21  "
        assertThat(shortYear.get("data_limite").asString()).isEqualTo("2022-01-04");
        assertThat(shortYear.get("data_de_atendimento").asString()).isEqualTo("2021-12-31T00:00:00");
        assertThat(shortYear.get("on_time").asBoolean()).isTrue();
        assertThat(shortYear.get("id_cliente").asLong()).isEqualTo(623323300L);
        assertThat(shortYear.get("polo").asString()).isEqualTo("CE - SOBRAL");
        assertThat(shortYear.get("uf").asString()).isEqualTo("CE");
        JsonNode missingSlash = visit(1557); // 28/062021 11:55
        assertThat(missingSlash.get("data_de_atendimento").asString()).isEqualTo("2021-06-28T11:55:00");
        JsonNode iso = visit(728);
        assertThat(iso.get("data_de_atendimento").asString()).isEqualTo("2021-07-04T09:11:07");
        assertThat(iso.get("on_time").asBoolean()).isFalse();
        assertThat(visit(585188).get("angel").asString()).isEqualTo("Jônatas Magalhães Lima");

        JsonNode again = importAndWait(api, "", sample());
        assertThat(counts(again)).isEqualTo("0 0 29 0");
        assertThat(visits("id_atendimento IN (590407, 1557, 728)")).isEqualTo(3);
        assertThat(visits("true")).isGreaterThanOrEqualTo(29);
    }

    @Test
    void changedRowsAreUpdatedAndDryRunWritesNothing() {
        String original = HEADER + "200001;1;Ana;SP - SANTOS;30/06/2021;29/06/2021 10:00\n"
                + "200002;2;Ana;SP - SANTOS;30/06/2021;\n"
                + "200003;3;Bia;SP - SANTOS;30/06/2021;01/07/2021\n";
        assertThat(counts(importAndWait(api, "", original.getBytes(StandardCharsets.UTF_8))))
                .isEqualTo("3 0 0 0");
        String changed = HEADER + "200001;1;Ana;SP - SANTOS;30/06/2021;29/06/2021 10:00\n"
                + "200002;2;Ana;SP - SANTOS;30/06/2021;30/06/2021 18:00\n"
                + "200003;3;Caio;SP - SANTOS;30/06/2021;01/07/2021\n"
                + "200004;4;Dani;SP - NOVA;30/06/2021;30/06/2021\n";
        JsonNode dry = importAndWait(api, "?dry_run=true", changed.getBytes(StandardCharsets.UTF_8));
        assertThat(dry.get("dry_run").asBoolean()).isTrue();
        assertThat(counts(dry)).isEqualTo("1 2 1 0");
        assertThat(visit(200002).get("status").asString()).isEqualTo("PENDING");
        assertThat(visits("id_atendimento = 200004")).isZero();
        assertThat(jdbc.sql("SELECT count(*) FROM fieldservice_angel WHERE name IN ('Caio', 'Dani')")
                        .query(Long.class)
                        .single())
                .isZero();

        assertThat(counts(importAndWait(api, "", changed.getBytes(StandardCharsets.UTF_8))))
                .isEqualTo("1 2 1 0");
        assertThat(visit(200002).get("status").asString()).isEqualTo("DONE");
        assertThat(visit(200002).get("data_de_atendimento").asString()).isEqualTo("2021-06-30T18:00:00");
        assertThat(visit(200003).get("angel").asString()).isEqualTo("Caio");
        assertThat(visit(200004).get("polo").asString()).isEqualTo("SP - NOVA");
    }

    @Test
    void badRowsAreRejectedWithLineColumnValueCodeAndTheRestImports() {
        String csv = HEADER
                + "300001;1;Ana;SP - SANTOS;31/02/2021;\n" // line 2: impossible date
                + "300002;1;Ana;SP - SANTOS;30/06/2021;2021/06/29 10:00\n" // line 3: unknown format
                + "300003;1;Ana;SP - SANTOS;30/06/2021\n" // line 4: 5 fields
                + "300004;1;Ana;SP - SANTOS;30/06/2021;29/06/2021\n" // line 5: ok
                + "300004;2;Bia;SP - SANTOS;30/06/2021;29/06/2021\n" // line 6: duplicate of line 5
                + "abc;1;Ana;SP - SANTOS;30/06/2021;\n" // line 7: not a number
                + "300008;;Ana;SP - SANTOS;30/06/2021;\n" // line 8: client missing
                + "300009;1;   ;SP - SANTOS;30/06/2021;\n" // line 9: angel blank
                + "300010;1;Ana;SP - SANTOS;30/06/2021;29/06/2021 25:00\n" // line 10: impossible hour
                + "300011;99999999999999999999;Ana;SP - SANTOS;30/06/2021;\n" // line 11: too large
                + "300012;1;Ana;SP - SANTOS;30/06/2021;30/06/2021\n"; // line 12: ok
        JsonNode status = importAndWait(api, "", csv.getBytes(StandardCharsets.UTF_8));
        assertThat(counts(status)).isEqualTo("2 0 0 9");
        assertThat(status.get("result").get("total_rows").asLong()).isEqualTo(11);
        assertThat(errors(status))
                .containsExactly(
                        "2 data_limite IMPOSSIBLE_DATE",
                        "3 data_de_atendimento INVALID_DATE",
                        "4  FIELD_COUNT",
                        "6 id_atendimento DUPLICATE",
                        "7 id_atendimento INVALID_INTEGER",
                        "8 id_cliente REQUIRED",
                        "9 angel REQUIRED",
                        "10 data_de_atendimento IMPOSSIBLE_DATE",
                        "11 id_cliente OUT_OF_RANGE");
        JsonNode first = status.get("result").get("errors").get(0);
        assertThat(first.get("value").asString()).isEqualTo("31/02/2021");
        assertThat(first.get("message").asString()).contains("not a valid calendar date");
        JsonNode duplicate = status.get("result").get("errors").get(3);
        assertThat(duplicate.get("message").asString()).contains("line 5");
        assertThat(visit(300004).get("angel").asString()).isEqualTo("Ana");

        ApiClient.Response csvErrors = api.get(
                "/api/v1/atendimento/task_status/" + status.get("task_id").asString() + "/errors.csv");
        assertThat(csvErrors.status()).isEqualTo(200);
        assertThat(csvErrors.contentType()).startsWith("text/csv");
        String[] lines = csvErrors.body().split("\r\n");
        assertThat(lines).hasSize(10);
        assertThat(lines[0]).isEqualTo("line,column,value,code,message,raw");
        assertThat(lines[1])
                .startsWith("2,data_limite,31/02/2021,IMPOSSIBLE_DATE,")
                .endsWith(",\"300001;1;Ana;SP - SANTOS;31/02/2021;\"");
        assertThat(lines[4]).startsWith("6,id_atendimento,300004,DUPLICATE,");
    }

    @Test
    void bomCrlfQuotesAndCommaDelimiterAreHandled() {
        String csv = "\uFEFF\"ID_ATENDIMENTO\",id_cliente,Angel,polo,data_limite,data_de_atendimento,extra\r\n"
                + "400001,1,\"Silva, Ana\",SP - SANTOS,30/06/2021,\"29/06/2021 10:00\",x\r\n"
                + "400002,2,\"Ana \"\"Aninha\"\" Souza\",SP - SANTOS,30/06/2021,,y\r\n"
                + "400003,3,\"Multi\r\nLine\",SP - SANTOS,30/06/2021,,z\r\n"
                + "\r\n"
                + "400004,4, Bia ,SP - SANTOS,31/06/2021,,z\r\n"; // line 7 (after a 2-line record and a blank line)
        JsonNode status = importAndWait(api, "", csv.getBytes(StandardCharsets.UTF_8));
        assertThat(counts(status)).isEqualTo("3 0 0 1");
        assertThat(errors(status)).containsExactly("7 data_limite IMPOSSIBLE_DATE");
        assertThat(visit(400001).get("angel").asString()).isEqualTo("Silva, Ana");
        assertThat(visit(400002).get("angel").asString()).isEqualTo("Ana \"Aninha\" Souza");
        assertThat(visit(400003).get("angel").asString()).isEqualTo("Multi Line");

        String tabs = "id_atendimento\tid_cliente\tangel\tpolo\tdata_limite\tdata_de_atendimento\n"
                + "400010\t1\tTab Angel\tSP - SANTOS\t30/06/2021\t30 /06 /2021 10:00:00\n";
        assertThat(counts(importAndWait(api, "", tabs.getBytes(StandardCharsets.UTF_8))))
                .isEqualTo("1 0 0 0");
        assertThat(visit(400010).get("data_de_atendimento").asString()).isEqualTo("2021-06-30T10:00:00");
        // An explicit delimiter wins over detection: this header then lacks every column but the first.
        var problem = assertProblem(
                api.sendBytes(
                        "POST",
                        "/api/v1/atendimento/import_csv?delimiter=%3B",
                        "text/csv",
                        tabs.getBytes(StandardCharsets.UTF_8)),
                400);
        assertThat(problem.get("missing_columns")).hasSize(6);
        assertProblem(
                api.sendBytes(
                        "POST",
                        "/api/v1/atendimento/import_csv?delimiter=pipe",
                        "text/csv",
                        tabs.getBytes(StandardCharsets.UTF_8)),
                400);
    }

    @Test
    void windows1252NeedsItsEncodingParameter() {
        Charset cp1252 = Charset.forName("windows-1252");
        byte[] csv = (HEADER + "500001;1;João Conceição;SP - SÃO PAULO;30/06/2021;\n").getBytes(cp1252);
        var problem = assertProblem(api.sendBytes("POST", "/api/v1/atendimento/import_csv", "text/csv", csv), 400);
        assertThat(problem.get("detail").asString())
                .contains("line 2")
                .contains("UTF-8")
                .contains("windows-1252");
        assertThat(problem.get("line").asLong()).isEqualTo(2);
        assertThat(counts(importAndWait(api, "?encoding=windows-1252", csv))).isEqualTo("1 0 0 0");
        assertThat(visit(500001).get("angel").asString()).isEqualTo("João Conceição");
        assertThat(visit(500001).get("polo").asString()).isEqualTo("SP - SÃO PAULO");
        byte[] latin1 =
                (HEADER + "500002;1;Zé Latin;SP - SÃO PAULO;30/06/2021;\n").getBytes(StandardCharsets.ISO_8859_1);
        assertThat(counts(importAndWait(api, "?encoding=ISO-8859-1", latin1))).isEqualTo("1 0 0 0");
        assertThat(visit(500002).get("angel").asString()).isEqualTo("Zé Latin");
        assertProblem(api.sendBytes("POST", "/api/v1/atendimento/import_csv?encoding=ebcdic", "text/csv", csv), 400);
    }

    @Test
    void emptyUploadsHeaderProblemsAndSizeLimitAreRejectedSynchronously() {
        var noFile =
                assertProblem(api.sendBytes("POST", "/api/v1/atendimento/import_csv", "text/csv", new byte[0]), 400);
        assertThat(noFile.get("detail").asString()).contains("No file part");
        var blank = assertProblem(
                api.sendBytes(
                        "POST",
                        "/api/v1/atendimento/import_csv",
                        "text/csv",
                        "\r\n\r\n".getBytes(StandardCharsets.UTF_8)),
                400);
        assertThat(blank.get("detail").asString()).contains("Empty file");
        var missing = assertProblem(
                api.sendBytes(
                        "POST",
                        "/api/v1/atendimento/import_csv",
                        "text/csv",
                        "ID_CLIENTE;angel;Polo;data_limite\n1;a;b;30/06/2021\n".getBytes(StandardCharsets.UTF_8)),
                400);
        assertThat(missing.get("detail").asString()).contains("id_atendimento").contains("data_de_atendimento");
        assertThat(missing.get("missing_columns").toString()).isEqualTo("[\"id_atendimento\",\"data_de_atendimento\"]");

        byte[] big = new byte[300 * 1024];
        byte[] header = HEADER.getBytes(StandardCharsets.UTF_8);
        java.util.Arrays.fill(big, (byte) '\n');
        System.arraycopy(header, 0, big, 0, header.length);
        var tooLarge = assertProblem(api.sendBytes("POST", "/api/v1/atendimento/import_csv", "text/csv", big), 413);
        assertThat(tooLarge.get("detail").asString()).contains("size limit");
        assertThat(jdbc.sql(
                                "SELECT count(*) FROM fieldservice_import_block b JOIN fieldservice_import i ON i.id = b.import_id"
                                        + " WHERE i.state = 'PENDING'")
                        .query(Long.class)
                        .single())
                .isZero();

        JsonNode headerOnly = importAndWait(api, "", HEADER.getBytes(StandardCharsets.UTF_8));
        assertThat(counts(headerOnly)).isEqualTo("0 0 0 0");
        assertThat(headerOnly.get("result").get("total_rows").asLong()).isZero();
    }

    @Test
    void multipartUploadsUseTheFileField() throws IOException {
        ApiClient.Response noPart = multipart("other", "x.csv", HEADER.getBytes(StandardCharsets.UTF_8));
        assertThat(assertProblem(noPart, 400).get("detail").asString()).contains("No file part");
        ApiClient.Response empty = multipart("file", "x.csv", new byte[0]);
        assertThat(assertProblem(empty, 400).get("detail").asString()).contains("Empty file");
        var malformed = assertProblem(
                api.sendBytes(
                        "POST",
                        "/api/v1/atendimento/import_csv",
                        "multipart/form-data; boundary=nothere",
                        "garbage without any boundary".getBytes(StandardCharsets.UTF_8)),
                400);
        assertThat(malformed.get("detail").asString()).contains("multipart");
        ApiClient.Response accepted = multipart("file", "bd_desafio_test.csv", sample());
        assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
        JsonNode status =
                ImportSupport.await(api, accepted.json().get("task_id").asString());
        assertThat(status.get("state").asString()).isEqualTo("SUCCESS");
        assertThat(status.get("result").get("total_rows").asLong()).isEqualTo(29);
        assertThat(status.get("result").get("rejected").asLong()).isZero();
    }

    private ApiClient.Response multipart(String field, String filename, byte[] content) throws IOException {
        String boundary = "relayBoundary7MA4YWxkTrZu0gW";
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + field + "\"; filename=\""
                        + filename + "\"\r\nContent-Type: text/csv\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8));
        body.write(content);
        body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return api.sendBytes(
                "POST",
                "/api/v1/atendimento/import_csv",
                "multipart/form-data; boundary=" + boundary,
                body.toByteArray());
    }

    @Test
    void statusOfUnknownTaskIs404AndViewersCannotImport() {
        assertProblem(api.get("/api/v1/atendimento/task_status/00000000-0000-0000-0000-000000000000"), 404);
        assertProblem(api.get("/api/v1/atendimento/task_status/not-a-task"), 404);
        assertProblem(api.get("/api/v1/atendimento/task_status/not-a-task/errors.csv"), 404);
        ApiClient viewer = clientFor("vic", Role.VIEWER);
        assertProblem(
                viewer.sendBytes(
                        "POST", "/api/v1/atendimento/import_csv", "text/csv", HEADER.getBytes(StandardCharsets.UTF_8)),
                403);
        ApiClient agent = clientFor("agatha", Role.AGENT);
        importAndWait(agent, "", HEADER.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void concurrentImportsBothCompleteWithExactCountsAndNoDuplicates() throws Exception {
        // Two files sharing angels, polos, clients and half of their external ids, imported at the same time.
        StringBuilder a = new StringBuilder(HEADER);
        StringBuilder b = new StringBuilder(HEADER);
        for (int id = 600000; id < 600090; id++) {
            String row = id + ";" + (7000 + id % 13) + ";Angel " + (id % 5) + ";MG - POLO " + (id % 3)
                    + ";30/06/2021;29/06/2021 10:00\n";
            if (id < 600060) {
                a.append(row);
            }
            if (id >= 600030) {
                b.append(row);
            }
        }
        CountDownLatch start = new CountDownLatch(1);
        List<Future<JsonNode>> results = new ArrayList<>();
        try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (String csv : List.of(a.toString(), b.toString())) {
                results.add(executor.submit(() -> {
                    start.await();
                    return importAndWait(api, "", csv.getBytes(StandardCharsets.UTF_8));
                }));
            }
            start.countDown();
        }
        JsonNode first = results.get(0).get();
        JsonNode second = results.get(1).get();
        long inserted = first.get("result").get("inserted").asLong()
                + second.get("result").get("inserted").asLong();
        long unchanged = first.get("result").get("unchanged").asLong()
                + second.get("result").get("unchanged").asLong();
        assertThat(inserted).isEqualTo(90);
        assertThat(unchanged).isEqualTo(30);
        assertThat(first.get("result").get("updated").asLong()
                        + second.get("result").get("updated").asLong())
                .isZero();
        assertThat(visits("id_atendimento BETWEEN 600000 AND 600089")).isEqualTo(90);
        assertThat(jdbc.sql("SELECT count(*) FROM fieldservice_angel WHERE name LIKE 'Angel _'")
                        .query(Long.class)
                        .single())
                .isEqualTo(5);
        assertThat(jdbc.sql("SELECT count(*) FROM fieldservice_polo WHERE name LIKE 'MG - POLO _'")
                        .query(Long.class)
                        .single())
                .isEqualTo(3);
        assertThat(jdbc.sql("SELECT count(*) FROM fieldservice_client WHERE id_cliente BETWEEN 7000 AND 7012")
                        .query(Long.class)
                        .single())
                .isEqualTo(13);
        JsonNode sla =
                api.get("/api/v1/indicators/sla/polo?polo=MG%20-%20POLO%200").json();
        assertThat(sla.get("data").get(0).get("total").asLong()).isEqualTo(30);
        assertThat(ImportSupport.summaryMismatches(jdbc)).isZero();
    }
}

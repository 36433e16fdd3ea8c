package com.relaycrm.search;

import static org.assertj.core.api.Assertions.assertThat;

import com.relaycrm.testsupport.ApiClient;
import com.relaycrm.testsupport.HttpTestSupport;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * The visit export as PostgreSQL writes it ({@code COPY ... TO STDOUT}): byte for byte the CSV the JSON list gives
 * when each value is written as the other exports write it (formula cells neutralised, RFC 4180 quoting, CRLF), for
 * names that were never normalised by the API (imported or old rows), timestamps with every kind of fraction, and
 * filters whose text would break SQL if it were pasted into the statement rather than written as a literal.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class VisitCopyExportHttpTest extends HttpTestSupport {

    private static final List<String> COLUMNS = List.of(
            "id",
            "id_atendimento",
            "cliente_id",
            "id_cliente",
            "angel",
            "polo",
            "uf",
            "data_limite",
            "data_de_atendimento",
            "status",
            "on_time",
            "created_at",
            "updated_at");

    /** Stored as they are: each needs quoting, neutralising, or nothing, in the CSV. */
    private static final List<String> NAMES = List.of(
            "Plain Angel",
            "=1+1",
            "+55 11 9999",
            "-2+3",
            "@SUM(A1)",
            "   =HYPERLINK(\"http://evil.test\")",
            "\t=tab",
            "\rcarriage",
            "   ",
            "",
            "Comma, Inc.",
            "Quote \"Q\" Ltd",
            "line\nbreak",
            "crlf\r\nbreak",
            "semi;colon",
            "João Çedilha 😀",
            "control \u0001 char",
            "back\\slash",
            "a=b",
            "'quoted",
            "\\.");

    /** Every fraction a timestamp can have, as Instant.toString() writes it: none, 3 digits or 6. */
    private static final List<String> INSTANTS = List.of(
            "2021-01-01 10:00:00+00",
            "2021-01-01 10:00:00.1+00",
            "2021-01-01 10:00:00.12+00",
            "2021-01-01 10:00:00.123+00",
            "2021-01-01 10:00:00.1234+00",
            "2021-01-01 10:00:00.000001+00",
            "2021-01-01 10:00:00.00001+00",
            "2021-01-01 10:00:00.001+00",
            "2021-01-01 00:00:00.999999+00",
            "1999-12-31 23:59:59.5-03");

    @Autowired
    JdbcClient jdbc;

    @BeforeAll
    void data() {
        api = new ApiClient(port, com.relaycrm.testsupport.FreshDatabaseCustomizerFactory.ADMIN_TOKEN);
        for (int i = 0; i < NAMES.size(); i++) {
            long angel = jdbc.sql("INSERT INTO fieldservice_angel (name) VALUES (?) RETURNING id")
                    .param(NAMES.get(i))
                    .query(Long.class)
                    .single();
            long polo = jdbc.sql("INSERT INTO fieldservice_polo (name, uf) VALUES (?, ?) RETURNING id")
                    .param("polo " + NAMES.get(i))
                    .param(i % 3 == 0 ? null : i % 3 == 1 ? NAMES.get(i) : "SP")
                    .query(Long.class)
                    .single();
            for (int k = 0; k < 2; k++) {
                int n = i * 2 + k;
                String status = n % 3 == 0 ? "PENDING" : n % 3 == 1 ? "DONE" : "CANCELLED";
                jdbc.sql("""
                                INSERT INTO fieldservice_visit (id_atendimento, id_cliente, angel_id, polo_id, data_limite,
                                    data_de_atendimento, status, created_at, updated_at)
                                VALUES (:ext, :cliente, :angel, :polo, DATE '2021-06-01' + :n,
                                    CASE WHEN :status = 'PENDING' AND :n % 2 = 0 THEN NULL
                                         ELSE TIMESTAMP '2021-06-01 09:00' + make_interval(days => :n % 7, secs => :n / 8.0)
                                    END,
                                    :status, CAST(:created AS timestamptz), CAST(:updated AS timestamptz))""")
                        .param("ext", n % 5 == 0 ? null : 5000L + n)
                        .param("cliente", 100L + n % 4)
                        .param("angel", angel)
                        .param("polo", polo)
                        .param("n", n)
                        .param("status", status)
                        .param("created", INSTANTS.get(n % INSTANTS.size()))
                        .param("updated", INSTANTS.get((n + 3) % INSTANTS.size()))
                        .update();
            }
        }
        ApiClient.Response created = api.post("/api/v1/atendimento", """
                {"id_cliente": 4242, "angel": "O'Brien \\\\ 50%_x", "polo": "SP - O'Brien",
                 "data_limite": "2021-07-01", "data_de_atendimento": "2021-07-02 10:00", "status": "DONE"}""");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
    }

    /** The JSON value as the other exports write its cell. */
    private static String cell(JsonNode value) {
        if (value == null || value.isNull()) {
            return "";
        }
        String text = value.asString();
        if (value.isString()) {
            int i = 0;
            while (i < text.length() && text.charAt(i) == ' ') {
                i++;
            }
            if (i < text.length() && "=+-@\t\r".indexOf(text.charAt(i)) >= 0) {
                text = "'" + text;
            }
        }
        boolean quote = text.chars().anyMatch(c -> c == ',' || c == '"' || c == '\r' || c == '\n');
        return quote ? "\"" + text.replace("\"", "\"\"") + "\"" : text;
    }

    private static String expectedCsv(List<JsonNode> items) {
        StringBuilder csv = new StringBuilder(String.join(",", COLUMNS)).append("\r\n");
        for (JsonNode item : items) {
            List<String> cells = new ArrayList<>();
            for (String column : COLUMNS) {
                cells.add(cell(item.get(column)));
            }
            csv.append(String.join(",", cells)).append("\r\n");
        }
        return csv.toString();
    }

    private List<JsonNode> list(String filters) {
        ApiClient.Response response = api.get("/api/v1/atendimento?per_page=1000&" + filters);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        List<JsonNode> items = new ArrayList<>();
        response.json().get("data").forEach(items::add);
        return items;
    }

    private void assertExportsEqualTheList(String filters, int atLeast) {
        List<JsonNode> items = list(filters);
        assertThat(items).as(filters).hasSizeGreaterThanOrEqualTo(atLeast);
        ApiClient.Response csv = api.get("/api/v1/atendimento?format=csv&" + filters);
        assertThat(csv.status()).as(csv.body()).isEqualTo(200);
        assertThat(csv.contentType()).isEqualTo("text/csv;charset=UTF-8");
        assertThat(csv.body()).as(filters).isEqualTo(expectedCsv(items));
        ApiClient.Response ndjson = api.get("/api/v1/atendimento?" + filters, "Accept", "application/x-ndjson");
        assertThat(ndjson.status()).as(ndjson.body()).isEqualTo(200);
        String[] lines = ndjson.body().split("\n", -1);
        assertThat(lines).as(filters).hasSize(items.size() + 1);
        assertThat(lines[items.size()]).isEmpty();
        for (int i = 0; i < items.size(); i++) {
            assertThat(ApiClient.JSON.readTree(lines[i]))
                    .as(filters + " line " + i)
                    .isEqualTo(items.get(i));
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    @Test
    void csvIsByteForByteTheListWrittenAsTheOtherExportsWriteIt() {
        assertExportsEqualTheList("", NAMES.size() * 2 + 1);
        List<JsonNode> all = list("");
        assertThat(all.stream().map(v -> v.get("created_at").asString()))
                .contains(
                        "2021-01-01T10:00:00Z",
                        "2021-01-01T10:00:00.100Z",
                        "2021-01-01T10:00:00.120Z",
                        "2021-01-01T10:00:00.123Z",
                        "2021-01-01T10:00:00.123400Z",
                        "2021-01-01T10:00:00.000001Z",
                        "2021-01-01T10:00:00.000010Z",
                        "2021-01-01T10:00:00.001Z",
                        "2000-01-01T02:59:59.500Z");
        String csv = api.get("/api/v1/atendimento?format=csv&order_by=id").body();
        assertThat(csv)
                .contains(",'=1+1,polo =1+1,", ",'+55 11 9999,", ",'-2+3,", ",'@SUM(A1),")
                .contains(",\"'   =HYPERLINK(\"\"http://evil.test\"\")\",")
                .contains(",'\t=tab,", ",\"'\rcarriage\",", ",   ,polo    ,")
                .contains(",\"line\nbreak\",", ",\"crlf\r\nbreak\",", ",\"Comma, Inc.\",", ",back\\slash,")
                .contains(",a=b,", ",'quoted,", ",João Çedilha 😀,", ",\\.,");
        // an empty name is an empty cell, as the other exports write it, not ""
        assertThat(csv).contains(",,polo ,").doesNotContain("\"\"\"\"", ",\"\",");
    }

    @Test
    void everyOrderAndFilterOfTheListExportsTheSameRows() {
        for (String order : List.of(
                "id",
                "-id",
                "angel",
                "-polo",
                "data_de_atendimento",
                "-data_de_atendimento",
                "created_at",
                "-updated_at",
                "cliente_id",
                "data_limite")) {
            assertExportsEqualTheList("order_by=" + order, NAMES.size() * 2 + 1);
        }
        assertExportsEqualTheList("status=DONE&on_time=true", 1);
        assertExportsEqualTheList("on_time=false", 0);
        assertExportsEqualTheList("uf=sp&order_by=-id", 1);
        assertExportsEqualTheList("id_cliente=101", 1);
        assertExportsEqualTheList("id_atendimento=5001", 1);
        assertExportsEqualTheList("data_limite_from=2021-06-05&data_limite_to=2021-06-20", 1);
        assertExportsEqualTheList("data_de_atendimento_from=2021-06-02&data_de_atendimento_to=2021-06-04", 1);
        assertExportsEqualTheList("angel=" + encode("O'Brien \\ 50%_x"), 1);
        assertExportsEqualTheList("polo=" + encode("SP - O'Brien"), 1);
        assertExportsEqualTheList("q=" + encode("O'Brien"), 1);
        assertExportsEqualTheList("q=" + encode("50%_"), 0);
        assertExportsEqualTheList("q=" + encode("\\ 50"), 0);
        assertExportsEqualTheList("q=102", 1);
        assertExportsEqualTheList("q=" + encode("=1+1"), 0);
        // text that would end a pasted string literal is only text: nothing matches, nothing breaks
        for (String hostile : List.of(
                "'; DROP TABLE fieldservice_visit; --",
                "x' OR '1'='1",
                "$$; SELECT 1; $$",
                "E'\\''",
                ":angel",
                "/* comment",
                "\\'")) {
            assertExportsEqualTheList("q=" + encode(hostile), 0);
            assertExportsEqualTheList("angel=" + encode(hostile), 0);
        }
        assertThat(jdbc.sql("SELECT count(*) FROM fieldservice_visit")
                        .query(Long.class)
                        .single())
                .isEqualTo(2L * NAMES.size() + 1);
    }

    @Test
    void aByteOrderMarkOnRequest() {
        ApiClient.Response withBom = api.get("/api/v1/atendimento?format=csv&bom=true&id_cliente=4242");
        byte[] bytes = withBom.bytes();
        assertThat(new byte[] {bytes[0], bytes[1], bytes[2]}).containsExactly(0xEF, 0xBB, 0xBF);
        assertThat(new String(bytes, 3, bytes.length - 3, StandardCharsets.UTF_8))
                .isEqualTo(expectedCsv(list("id_cliente=4242")));
    }
}

package com.relaycrm.search;

import static org.assertj.core.api.Assertions.assertThat;

import com.relaycrm.platform.Role;
import com.relaycrm.testsupport.ApiClient;
import com.relaycrm.testsupport.FreshDatabaseCustomizerFactory;
import com.relaycrm.testsupport.HttpTestSupport;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;

/**
 * Exports of the list endpoints: CSV read back with Apache Commons CSV equals the JSON list (same filters, same
 * order, no paging), formula cells are neutralised, NDJSON lines are the JSON items.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExportHttpTest extends HttpTestSupport {

    /** Names that need quoting, or would be formulas in a spreadsheet. */
    private static final List<String> AWKWARD = List.of(
            "Plain Name",
            "Comma, Inc.",
            "Quote \"Q\" Ltd",
            "=HYPERLINK(\"http://evil.test\")",
            "+55 11 99999-0000",
            "-2+3",
            "@SUM(A1)",
            "   =1+1",
            "João Çedilha 😀",
            "semi;colon");

    private ApiClient agent;
    private String thread;
    private long manager;

    @BeforeAll
    void data() {
        api = new ApiClient(port, FreshDatabaseCustomizerFactory.ADMIN_TOKEN);
        manager = created(
                        api.post(
                                "/employees",
                                "{\"name\":\"=Export Manager\",\"email\":\"manager@export.test\",\"role\":\"ACCOUNT_MANAGER\"}"))
                .get("id")
                .asLong();
        for (int i = 0; i < 30; i++) {
            String name = AWKWARD.get(i % AWKWARD.size()) + " " + i;
            created(api.post(
                    "/leads",
                    ApiClient.JSON
                            .createObjectNode()
                            .put("name", name)
                            .put("contact_email", "lead" + i + "@export.test")
                            .put("assigned_to", manager)
                            .put("expected_revenue", i % 3 == 0 ? null : new java.math.BigDecimal("1" + i + ".50"))
                            .put("source", i % 2 == 0 ? "web" : "=cmd|' /C calc'!A0")
                            .toString()));
            created(api.post(
                    "/customers",
                    ApiClient.JSON
                            .createObjectNode()
                            .put("name", name)
                            .put("contact_email", "customer" + i + "@export.test")
                            .put("account_manager_id", manager)
                            .put("phone_number", i % 2 == 0 ? "+55 11 9876" + i : null)
                            .put("address", "Rua \"A\", " + i + " - São Paulo")
                            .put("signed_date", "2025-01-" + (10 + i % 18))
                            .toString()));
            created(api.post(
                    "/api/v1/atendimento", """
                    {"id_cliente": %d, "angel": "Angel %d", "polo": "SP - POLO %d",
                     "data_limite": "2021-06-%02d 10:00", "data_de_atendimento": "2021-06-%02d 09:00"}""".formatted(1000 + i, i % 4, i % 3, 1 + i % 28, 1 + (i * 7) % 28)));
        }
        agent = clientFor("agent", Role.AGENT);
        thread = created(agent.post("/thread", "{\"users\":[\"agent\",\"other\"]}"))
                .get("thread_id")
                .asString();
        for (int i = 0; i < 12; i++) {
            ApiClient.Response posted = agent.post(
                    "/thread/" + thread + "/agent",
                    ApiClient.JSON
                            .createObjectNode()
                            .put("message", i % 3 == 0 ? "=1+" + i + ", \"quoted\"\r\nline" : "message " + i)
                            .toString());
            assertThat(posted.status()).as(posted.body()).isEqualTo(204);
        }
    }

    private static JsonNode created(ApiClient.Response response) {
        assertThat(response.status()).as(response.body()).isEqualTo(201);
        return response.json();
    }

    private static List<CSVRecord> csv(ApiClient.Response response) {
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.contentType()).isEqualTo("text/csv;charset=UTF-8");
        assertThat(response.header("Content-Disposition").orElseThrow()).startsWith("attachment; filename=");
        String body = response.body();
        assertThat(body).doesNotStartWith("\uFEFF");
        try (CSVParser parser = CSVFormat.RFC4180
                .builder()
                .setHeader()
                .setSkipHeaderRecord(true)
                .get()
                .parse(new StringReader(body))) {
            return parser.getRecords();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The JSON value as the CSV cell must hold it: text neutralised (OWASP), numbers and booleans as written. */
    private static String expectedCell(JsonNode value) {
        if (value == null || value.isNull()) {
            return "";
        }
        if (!value.isString()) {
            return value.isValueNode() ? value.asString() : value.toString();
        }
        String text = value.asString();
        String trimmed = text.stripLeading().replaceFirst("^ +", "");
        int spaces = 0;
        while (spaces < text.length() && text.charAt(spaces) == ' ') {
            spaces++;
        }
        if (spaces < text.length() && "=+-@\t\r".indexOf(text.charAt(spaces)) >= 0) {
            return "'" + text;
        }
        return trimmed.isEmpty() ? text : text;
    }

    private static void assertSame(List<CSVRecord> records, List<JsonNode> items, List<String> columns) {
        assertThat(records).hasSameSizeAs(items);
        for (int i = 0; i < items.size(); i++) {
            CSVRecord record = records.get(i);
            assertThat(record.getParser().getHeaderNames()).containsExactlyElementsOf(columns);
            for (String column : columns) {
                assertThat(record.get(column))
                        .as("row %d column %s", i, column)
                        .isEqualTo(expectedCell(items.get(i).get(column)));
            }
        }
    }

    private static List<JsonNode> items(JsonNode array) {
        List<JsonNode> items = new ArrayList<>();
        array.forEach(items::add);
        return items;
    }

    @Test
    void leadsCsvEqualsTheJsonListWithTheSameFiltersAndOrder() {
        String filters = "source=web&sort=-created_at&q=export";
        List<JsonNode> json = items(api.get("/leads?limit=500&" + filters).json());
        assertThat(json).hasSize(15);
        List<String> columns = List.of(
                "id",
                "name",
                "contact_email",
                "status",
                "expected_revenue",
                "currency",
                "source",
                "assigned_to",
                "lost_reason",
                "customer_id",
                "created_at",
                "updated_at",
                "version");
        assertSame(csv(api.get("/leads?" + filters, "Accept", "text/csv")), json, columns);
        // format= wins over Accept; no paging: limit and skip do not apply to an export
        assertSame(
                csv(api.get("/leads?format=csv&limit=2&skip=3&" + filters, "Accept", "application/json")),
                json,
                columns);
        List<JsonNode> all = items(api.get("/leads?limit=500").json());
        assertThat(all).hasSize(30);
        assertSame(csv(api.get("/leads?format=csv")), all, columns);
    }

    @Test
    void formulaCellsAreNeutralisedAndQuotedCellsSurvive() {
        List<CSVRecord> records = csv(api.get("/customers?format=csv"));
        List<String> names = records.stream().map(r -> r.get("name")).toList();
        assertThat(names)
                .contains(
                        "Plain Name 0",
                        "Comma, Inc. 1",
                        "Quote \"Q\" Ltd 2",
                        "'=HYPERLINK(\"http://evil.test\") 3",
                        "'+55 11 99999-0000 4",
                        "'-2+3 5",
                        "'@SUM(A1) 6",
                        "'=1+1 7",
                        "João Çedilha 😀 8",
                        "semi;colon 9");
        assertThat(records.getFirst().get("phone_number")).isEqualTo("'+55 11 98760");
        assertThat(records.get(1).get("phone_number")).isEmpty();
        assertThat(records.getFirst().get("address")).isEqualTo("Rua \"A\", 0 - São Paulo");
        assertSame(
                records,
                items(api.get("/customers?limit=500").json()),
                List.of(
                        "id",
                        "name",
                        "contact_email",
                        "phone_number",
                        "address",
                        "signed_date",
                        "account_manager_id",
                        "lead_id",
                        "created_at",
                        "updated_at",
                        "version"));
        // numbers are not text: a negative number would stay a number (none here), ids are plain
        assertThat(records.getFirst().get("account_manager_id")).isEqualTo(Long.toString(manager));
        List<CSVRecord> employees = csv(api.get("/employees?q=manager", "Accept", "text/csv"));
        assertThat(employees).hasSize(1);
        assertThat(employees.getFirst().get("name")).isEqualTo("'=Export Manager");
        assertThat(employees.getFirst().get("active")).isEqualTo("true");
    }

    @Test
    void bomOnRequestAndBadExportParametersAre400() {
        ApiClient.Response withBom = api.get("/employees?format=csv&bom=true");
        assertThat(withBom.status()).isEqualTo(200);
        byte[] bytes = withBom.bytes();
        assertThat(new byte[] {bytes[0], bytes[1], bytes[2]}).containsExactly(0xEF, 0xBB, 0xBF);
        assertThat(new String(bytes, StandardCharsets.UTF_8).substring(1)).startsWith("id,name,email,role,");
        assertProblem(api.get("/employees?format=xml"), 400);
        assertProblem(api.get("/employees?format=csv&bom=maybe"), 400);
        assertProblem(api.get("/leads?format=csv&sort=bogus"), 400);
        assertProblem(api.get("/leads?sort=bogus", "Accept", "text/csv"), 400);
        assertProblem(api.get("/api/v1/atendimento?format=ndjson&status=NOPE"), 400);
    }

    @Test
    void ndjsonLinesAreTheJsonItems() {
        List<JsonNode> json = items(api.get("/api/v1/atendimento?per_page=1000&order_by=-data_limite")
                .json()
                .get("data"));
        assertThat(json).hasSize(30);
        ApiClient.Response response =
                api.get("/api/v1/atendimento?order_by=-data_limite", "Accept", "application/x-ndjson");
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.contentType()).isEqualTo("application/x-ndjson;charset=UTF-8");
        String[] lines = response.body().split("\n", -1);
        assertThat(lines).hasSize(31);
        assertThat(lines[30]).isEmpty();
        for (int i = 0; i < 30; i++) {
            assertThat(ApiClient.JSON.readTree(lines[i])).isEqualTo(json.get(i));
        }
        List<JsonNode> leads = items(api.get("/leads?limit=500").json());
        Iterator<String> leadLines =
                api.get("/leads?format=ndjson").body().lines().iterator();
        for (JsonNode lead : leads) {
            assertThat(ApiClient.JSON.readTree(leadLines.next())).isEqualTo(lead);
        }
        assertThat(leadLines.hasNext()).isFalse();
    }

    @Test
    void visitsMessagesAndIndicatorsExportTheSameWay() {
        List<JsonNode> visits = items(api.get("/api/v1/atendimento?per_page=1000&angel=Angel%201")
                .json()
                .get("data"));
        assertThat(visits).hasSize(8);
        assertSame(
                csv(agent.get("/api/v1/atendimento?format=csv&angel=Angel%201")),
                visits,
                List.of(
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
                        "updated_at"));

        List<JsonNode> messages =
                items(agent.get("/thread/" + thread + "?limit=1000").json().get("messages"));
        assertThat(messages).hasSize(12);
        List<CSVRecord> exported = csv(agent.get("/thread/" + thread + "?limit=2", "Accept", "text/csv"));
        assertSame(
                exported, messages, List.of("id", "seq", "username", "message", "created_at", "edited_at", "deleted"));
        assertThat(exported.getFirst().get("message")).isEqualTo("'=1+0, \"quoted\"\r\nline");
        assertThat(csv(agent.get("/thread/" + thread + "/messages?format=csv&q=message")))
                .hasSize(8);
        assertThat(clientFor("stranger", Role.AGENT)
                        .get("/thread/" + thread + "?format=csv")
                        .status())
                .isEqualTo(403);

        String range = "start_date=2021-06-01&end_date=2021-06-30";
        JsonNode report = api.get("/api/v1/indicators/sla/angel?" + range).json();
        assertThat(report.get("data")).hasSize(4);
        assertSame(
                csv(api.get("/api/v1/indicators/sla/angel?format=csv&" + range)),
                items(report.get("data")),
                List.of("angel", "total", "on_time", "late", "sla"));
        JsonNode polos = api.get("/api/v1/indicators/sla/polo?" + range).json();
        assertSame(
                csv(api.get("/api/v1/indicators/sla/polo?" + range, "Accept", "text/csv")),
                items(polos.get("data")),
                List.of("polo", "total", "on_time", "late", "sla"));
        JsonNode productivity =
                api.get("/api/v1/indicators/productivity/angel?" + range).json();
        assertSame(
                csv(api.get("/api/v1/indicators/productivity/angel?format=csv&" + range)),
                items(productivity.get("data")),
                List.of("angel", "total", "productivity"));
    }
}

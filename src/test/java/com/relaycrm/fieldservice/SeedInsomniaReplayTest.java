package com.relaycrm.fieldservice;

import static org.assertj.core.api.Assertions.assertThat;

import com.relaycrm.testsupport.ApiClient;
import com.relaycrm.testsupport.HttpTestSupport;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.JsonNode;

/**
 * Seed 004's Insomnia workspace replayed request by request, in its order, with the seed's exact methods, paths,
 * headers and bodies (tabs included); only the base URL and the bearer header differ. The ordering checks of the two
 * productivity routes use visits whose busiest angel is not the most punctual one, so "most attended first" fails.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SeedInsomniaReplayTest extends HttpTestSupport {

    private static final String[] INSOMNIA = {"User-Agent", "insomnia/10.3.0"};

    private ApiClient.Response insomnia(String method, String path, String contentType, byte[] body) {
        return api.sendBytes(method, path, contentType, body, INSOMNIA);
    }

    private ApiClient.Response insomnia(String method, String path, String contentType, String body) {
        return insomnia(
                method,
                path,
                contentType,
                body == null ? null : body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    @Test
    @Order(1)
    void listsVisitsNewestFirst() {
        ApiClient.Response empty = insomnia("GET", "/api/v1/atendimento?page=1&per_page=50&order_by=-id", null, "");
        assertThat(empty.status()).as(empty.body()).isEqualTo(200);
        assertThat(empty.json().get("data")).isEmpty();
        assertThat(empty.json().get("next").isNull()).isTrue();
        assertThat(empty.json().get("prev").isNull()).isTrue();
    }

    @Test
    @Order(2)
    void createsTheSeedVisit() {
        ApiClient.Response created = insomnia("POST", "/api/v1/atendimento", "application/json", """
                {
                \t"id_cliente": 123456,
                \t"angel": "João César",
                \t"polo": "RJ - VOLTA REDONDA",
                \t"data_limite": "2021-06-30 15:30",
                \t"data_de_atendimento": "2021-06-29 10:00"
                }""");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        JsonNode visit = created.json();
        // the workspace's update request targets /api/v1/atendimento/1: the first visit of a new database
        assertThat(visit.get("id").asLong()).isEqualTo(1);
        assertThat(visit.get("angel").asString()).isEqualTo("João César");
        assertThat(visit.get("data_limite").asString()).isEqualTo("2021-06-30");
        assertThat(visit.get("status").asString()).isEqualTo("DONE");
        assertThat(visit.get("on_time").asBoolean()).isTrue();
    }

    @Test
    @Order(3)
    void importsTheRawFileSentAsTextCsv() throws IOException {
        byte[] file;
        try (var in = SeedInsomniaReplayTest.class.getResourceAsStream("/fieldservice/bd_desafio_test.csv")) {
            file = java.util.Objects.requireNonNull(in).readAllBytes();
        }
        ApiClient.Response accepted = insomnia("POST", "/api/v1/atendimento/import_csv", "text/csv", file);
        assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
        JsonNode status =
                ImportSupport.await(api, accepted.json().get("task_id").asString());
        assertThat(status.get("state").asString()).as(status.toString()).isEqualTo("SUCCESS");
        JsonNode result = status.get("result");
        assertThat(result.get("inserted").asLong() + result.get("rejected").asLong())
                .isEqualTo(29);
        assertThat(result.get("inserted").asLong()).isPositive();

        ApiClient.Response list = insomnia("GET", "/api/v1/atendimento?page=1&per_page=50&order_by=-id", null, "");
        assertThat(list.status()).isEqualTo(200);
        JsonNode data = list.json().get("data");
        assertThat(data).hasSize((int) (1 + result.get("inserted").asLong()));
        assertThat(data.get(0).get("id").asLong())
                .isGreaterThan(data.get(1).get("id").asLong());
        assertThat(data.get(data.size() - 1).get("id").asLong()).isEqualTo(1);
    }

    @Test
    @Order(4)
    void updatesOnlyTheScheduleWithTheSeedBody() {
        ApiClient.Response updated = insomnia("PUT", "/api/v1/atendimento/1", "application/json", """
                {
                  "data_limite": "2025-01-25 23:00",
                \t"data_de_atendimento": "2025-01-24 15:25"
                }""");
        assertThat(updated.status()).as(updated.body()).isEqualTo(200);
        JsonNode visit = updated.json();
        assertThat(visit.get("id").asLong()).isEqualTo(1);
        assertThat(visit.get("data_limite").asString()).isEqualTo("2025-01-25");
        assertThat(visit.get("data_de_atendimento").asString()).isEqualTo("2025-01-24T15:25:00");
        assertThat(visit.get("status").asString()).isEqualTo("DONE");
        assertThat(visit.get("on_time").asBoolean()).isTrue();
        // what the seed's PUT did not send keeps its value
        assertThat(visit.get("angel").asString()).isEqualTo("João César");
        assertThat(visit.get("polo").asString()).isEqualTo("RJ - VOLTA REDONDA");
        assertThat(visit.get("id_cliente").asLong()).isEqualTo(123456);

        ApiClient.Response withStatus = insomnia("PUT", "/api/v1/atendimento/1", "application/json", """
                {"data_limite": "2025-01-25 23:00", "data_de_atendimento": "2025-01-24 15:25", "status": "CANCELLED"}""");
        assertThat(withStatus.status()).as(withStatus.body()).isEqualTo(200);
        assertThat(withStatus.json().get("status").asString()).isEqualTo("CANCELLED");
        assertThat(withStatus.json().get("angel").asString()).isEqualTo("João César");

        // a present but invalid field is still refused, and nothing is written
        assertProblem(insomnia("PUT", "/api/v1/atendimento/1", "application/json", """
                {"data_limite": "2025-02-30 23:00", "data_de_atendimento": "2025-01-24 15:25"}"""), 422);
        assertProblem(insomnia("PUT", "/api/v1/atendimento/1", "application/json", """
                {"data_limite": "2025-01-25", "angel": null}"""), 422);
        assertProblem(insomnia("PUT", "/api/v1/atendimento/1", "application/json", "{}"), 422);
        assertThat(api.get("/api/v1/atendimento/1").json().get("status").asString())
                .isEqualTo("CANCELLED");

        ApiClient.Response back = insomnia("PUT", "/api/v1/atendimento/1", "application/json", """
                {"data_limite": "2025-01-23 23:00", "data_de_atendimento": "2025-01-24 15:25"}""");
        assertThat(back.json().get("status").asString()).isEqualTo("DONE");
        assertThat(back.json().get("on_time").asBoolean()).isFalse();
    }

    @Test
    @Order(5)
    void productivityRoutesOrderAsTheSeedsViews() {
        // Busy and late: 4 visits, 1 on time (25 %). Few and punctual: 1 visit, 1 on time (100 %).
        for (String visited : List.of("2021-06-01 10:00", "2021-06-20 10:00", "2021-06-21 10:00", "2021-06-22 10:00")) {
            post("Aaron Busy", "SP - SANTOS", "2021-06-10", visited);
        }
        post("Zelia Punctual", "SP - SANTOS", "2021-06-10", "2021-06-09 10:00");
        post("Mara Punctual", "SP - SANTOS", "2021-06-10", "2021-06-09 11:00");
        post("Never Attended", "SP - SANTOS", "2021-06-10", null);

        ApiClient.Response angels = insomnia("GET", "/api/v1/atendimento/angel_productivity?at_most=100", null, "");
        assertThat(angels.status()).as(angels.body()).isEqualTo(200);
        List<String> rows = new ArrayList<>();
        angels.json().get("data").forEach(a -> rows.add(a.get("angel").asString()));
        List<Double> percentages = new ArrayList<>();
        angels.json().get("data").forEach(a -> {
            if (!a.get("on_time_percentage").isNull()) {
                percentages.add(a.get("on_time_percentage").asDouble());
            }
        });
        assertThat(percentages).isSortedAccordingTo(java.util.Comparator.reverseOrder());
        // ties at 100 % by name; the busiest, least punctual angel after them
        assertThat(rows.indexOf("Mara Punctual")).isLessThan(rows.indexOf("Zelia Punctual"));
        assertThat(rows.indexOf("Zelia Punctual")).isLessThan(rows.indexOf("Aaron Busy"));
        // deliveries are attended visits: an angel with none is not listed, as in the seed's view
        assertThat(rows).doesNotContain("Never Attended");
        assertThat(percentages).hasSize(rows.size());

        ApiClient.Response topTwo = insomnia("GET", "/api/v1/atendimento/angel_productivity?at_most=2", null, "");
        List<String> best = new ArrayList<>();
        topTwo.json().get("data").forEach(a -> best.add(a.get("angel").asString()));
        assertThat(best).hasSize(2).doesNotContain("Aaron Busy");
        assertThat(topTwo.json().get("data").get(0).get("on_time_percentage").asDouble())
                .isEqualTo(100.0);

        ApiClient.Response polos = insomnia("GET", "/api/v1/atendimento/polo_productivity?at_most=100", null, "");
        assertThat(polos.status()).as(polos.body()).isEqualTo(200);
        List<Long> totals = new ArrayList<>();
        polos.json()
                .get("data")
                .forEach(p -> totals.add(p.get("total_deliveries").asLong()));
        assertThat(totals).isSortedAccordingTo(java.util.Comparator.reverseOrder());
        // 2021-06-09 is a Wednesday: the two punctual visits
        List<String> santos = new ArrayList<>();
        polos.json().get("data").forEach(p -> {
            if (p.get("polo").asString().equals("SP - SANTOS")) {
                santos.add(p.get("weekday").asString() + " "
                        + p.get("total_deliveries").asLong());
            }
        });
        assertThat(santos).containsExactly("Tuesday 2", "Wednesday 2", "Monday 1", "Sunday 1");
    }

    private void post(String angel, String polo, String limit, String visited) {
        String body = "{\"id_cliente\": 9, \"angel\": \"" + angel + "\", \"polo\": \"" + polo
                + "\", \"data_limite\": \"" + limit + "\""
                + (visited == null ? "" : ", \"data_de_atendimento\": \"" + visited + "\"") + "}";
        ApiClient.Response response = api.post("/api/v1/atendimento", body);
        assertThat(response.status()).as(response.body()).isEqualTo(201);
    }
}

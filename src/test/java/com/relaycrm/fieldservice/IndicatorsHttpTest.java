package com.relaycrm.fieldservice;

import static org.assertj.core.api.Assertions.assertThat;

import com.relaycrm.testsupport.ApiClient;
import com.relaycrm.testsupport.HttpTestSupport;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * Indicators on a hand-computed dataset (June/July 2021: Mon 28/06 .. Sun 04/07), with deadline-day visits, weekend
 * visits, a holiday, a pending, a cancelled, a deleted and a moved visit. Expected figures are worked out in the
 * comments next to each visit.
 */
class IndicatorsHttpTest extends HttpTestSupport {

    @Autowired
    JdbcClient jdbc;

    private static boolean loaded;

    /** Reads decimals exactly, so the test sees the scale on the wire ("75.00", not 75.0). */
    private static final tools.jackson.databind.json.JsonMapper EXACT = tools.jackson.databind.json.JsonMapper.builder()
            .enable(tools.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();

    private JsonNode get(String path) {
        ApiClient.Response response = api.get(path);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return EXACT.readTree(response.bytes());
    }

    private long create(String angel, String polo, String limit, String visited) {
        String body = "{\"id_cliente\": 1, \"angel\": \"" + angel + "\", \"polo\": \"" + polo
                + "\", \"data_limite\": \"" + limit + "\""
                + (visited == null ? "" : ", \"data_de_atendimento\": \"" + visited + "\"") + "}";
        ApiClient.Response response = api.post("/api/v1/atendimento", body);
        assertThat(response.status()).as(response.body()).isEqualTo(201);
        return response.json().get("id").asLong();
    }

    @BeforeEach
    void dataset() {
        if (loaded) {
            return;
        }
        loaded = true;
        String santos = "SP - SANTOS";
        String niteroi = "RJ - NITEROI";
        create("Ana", santos, "30/06/2021", "30/06/2021 23:59"); // 1 on time (deadline day, Wed)
        create("Ana", santos, "30/06/2021", "2021-07-01 08:00:00"); // 2 late (Thu)
        create("Ana", santos, "05/07/2021", "03/07/2021 10:00"); // 3 on time (Saturday)
        create("Ana", santos, "30/06/2021", null); // 4 pending: excluded
        create("Bruno", santos, "29/06/2021", "2021-06-29T09:00:00"); // 5 on time (Tue)
        create("Bruno", niteroi, "28/06/2021", "2021-06-30 10:00"); // 6 late (Wed)
        long cancelled = create("Bruno", niteroi, "02/07/2021", "2021-07-02 10:00"); // 7 cancelled below
        create("Carla", niteroi, "01/07/2021", "28/06/2021 10:00"); // 8 on time (Mon)
        create("Carla", niteroi, "01/07/2021", "01/07/2021 17:00"); // 9 on time (Thu, deadline day)
        create("Carla", niteroi, "01/07/2021", "04/07/2021 10:00"); // 10 late (Sunday)
        long deleted = create("Carla", niteroi, "01/07/2021", "29/06/2021 10:00"); // 11 deleted below
        long moved = create("Carla", niteroi, "02/07/2021", "02/07/2021 11:00"); // 12 moved to Ana/Santos below
        assertThat(api.patch("/api/v1/atendimento/" + cancelled, "{\"status\": \"CANCELLED\"}")
                        .status())
                .isEqualTo(200);
        assertThat(api.delete("/api/v1/atendimento/" + deleted).status()).isEqualTo(204);
        assertThat(api.patch("/api/v1/atendimento/" + moved, "{\"angel\": \"Ana\", \"polo\": \"SP - SANTOS\"}")
                        .status())
                .isEqualTo(200);
        assertThat(api.post("/api/v1/holidays", "{\"date\": \"2021-07-01\", \"name\": \"Feriado municipal\"}")
                        .status())
                .isEqualTo(201);
        assertThat(api.post("/api/v1/holidays", "{\"date\": \"2021-07-03\", \"name\": \"Feriado num sábado\"}")
                        .status())
                .isEqualTo(201);
    }

    private static List<String> rows(JsonNode report, String key) {
        List<String> rows = new ArrayList<>();
        report.get("data")
                .forEach(item -> rows.add(item.get(key).asString() + " "
                        + item.get("total").asLong() + " "
                        + item.get("on_time").asLong() + " " + item.get("late").asLong() + " "
                        + item.get("sla").decimalValue().toPlainString()));
        return rows;
    }

    @Test
    void slaPerAngelCountsDeadlineDayVisitsOnTimeAndSkipsPendingCancelledDeleted() {
        // Ana: 1, 2, 3, 12 -> 4 attended, 3 on time; Bruno: 5, 6 -> 2, 1; Carla: 8, 9, 10 -> 3, 2.
        JsonNode report = get("/api/v1/indicators/sla/angel");
        assertThat(rows(report, "angel")).containsExactly("Ana 4 3 1 75.00", "Bruno 2 1 1 50.00", "Carla 3 2 1 66.67");
        assertThat(rows(get("/api/v1/indicators/sla/angel?sort=sla"), "angel"))
                .containsExactly("Ana 4 3 1 75.00", "Carla 3 2 1 66.67", "Bruno 2 1 1 50.00");
        assertThat(rows(get("/api/v1/indicators/sla/angel?sort=total&order=asc"), "angel"))
                .containsExactly("Bruno 2 1 1 50.00", "Carla 3 2 1 66.67", "Ana 4 3 1 75.00");
        assertThat(rows(get("/api/v1/indicators/sla/angel?sort=name&order=desc"), "angel"))
                .containsExactly("Carla 3 2 1 66.67", "Bruno 2 1 1 50.00", "Ana 4 3 1 75.00");
        // Visit dates 28/06..02/07 leave out 3 (Sat 03/07) and 10 (Sun 04/07).
        assertThat(rows(get("/api/v1/indicators/sla/angel?start_date=2021-06-28&end_date=2021-07-02"), "angel"))
                .containsExactly("Ana 3 2 1 66.67", "Bruno 2 1 1 50.00", "Carla 2 2 0 100.00");
        assertThat(rows(get("/api/v1/indicators/sla/angel?uf=rj"), "angel"))
                .containsExactly("Bruno 1 0 1 0.00", "Carla 3 2 1 66.67");
        assertThat(rows(get("/api/v1/indicators/sla/angel?polo=SP%20-%20SANTOS&angel=Bruno"), "angel"))
                .containsExactly("Bruno 1 1 0 100.00");
    }

    @Test
    void slaPerPolo() {
        // Santos: 1, 2, 3, 5, 12 -> 5 attended, 4 on time; Niteroi: 6, 8, 9, 10 -> 4, 2.
        JsonNode report = get("/api/v1/indicators/sla/polo");
        assertThat(rows(report, "polo")).containsExactly("RJ - NITEROI 4 2 2 50.00", "SP - SANTOS 5 4 1 80.00");
        assertThat(report.get("total").asLong()).isEqualTo(2);
        assertThat(rows(get("/api/v1/indicators/sla/polo?start_date=2021-07-01"), "polo"))
                .containsExactly("RJ - NITEROI 2 1 1 50.00", "SP - SANTOS 3 2 1 66.67");
        assertThat(rows(get("/api/v1/indicators/sla/polo?end_date=2021-06-29"), "polo"))
                .containsExactly("RJ - NITEROI 1 1 0 100.00", "SP - SANTOS 1 1 0 100.00");
    }

    @Test
    void productivityDividesByBusinessDaysWithoutWeekendsAndHolidays() {
        // 28/06..04/07: 5 weekdays minus the Thursday holiday = 4 (the Saturday holiday changes nothing).
        JsonNode report = get("/api/v1/indicators/productivity/angel?start_date=2021-06-28&end_date=2021-07-04");
        assertThat(report.get("business_days").asLong()).isEqualTo(4);
        List<String> rows = new ArrayList<>();
        report.get("data")
                .forEach(item -> rows.add(
                        item.get("angel").asString() + " " + item.get("total").asLong() + " "
                                + item.get("productivity").decimalValue().toPlainString()));
        assertThat(rows).containsExactly("Ana 4 1.00", "Bruno 2 0.50", "Carla 3 0.75");

        JsonNode weekend = get("/api/v1/indicators/productivity/angel?start_date=2021-07-03&end_date=2021-07-04");
        assertThat(weekend.get("business_days").asLong()).isZero();
        assertThat(weekend.get("data")).hasSize(2);
        weekend.get("data").forEach(item -> {
            assertThat(item.get("total").asLong()).isEqualTo(1);
            assertThat(item.get("productivity").isNull()).isTrue();
        });

        JsonNode sorted =
                get("/api/v1/indicators/productivity/angel?start_date=2021-06-28&end_date=2021-07-04&sort=total");
        assertThat(sorted.get("data").get(0).get("angel").asString()).isEqualTo("Ana");
        assertThat(sorted.get("data").get(2).get("angel").asString()).isEqualTo("Bruno");
    }

    @Test
    void badIndicatorParametersAre400() {
        assertProblem(api.get("/api/v1/indicators/productivity/angel?start_date=2021-06-28"), 400);
        assertProblem(api.get("/api/v1/indicators/productivity/angel?end_date=2021-06-28"), 400);
        assertProblem(api.get("/api/v1/indicators/sla/angel?start_date=2021-07-02&end_date=2021-07-01"), 400);
        assertProblem(api.get("/api/v1/indicators/sla/angel?start_date=02/07/2021"), 400);
        assertProblem(api.get("/api/v1/indicators/sla/polo?sort=speed"), 400);
        assertProblem(api.get("/api/v1/indicators/sla/polo?order=up"), 400);
        assertProblem(api.get("/api/v1/atendimento/angel_productivity?at_most=0"), 400);
        assertProblem(api.get("/api/v1/atendimento/polo_productivity?at_most=x"), 400);
    }

    @Test
    void seedRoutesKeepTheirShapes() {
        JsonNode angels = get("/api/v1/atendimento/angel_productivity?at_most=2");
        assertThat(angels.get("total").asLong()).isEqualTo(3);
        assertThat(angels.get("data")).hasSize(2);
        JsonNode first = angels.get("data").get(0);
        assertThat(first.get("angel").asString()).isEqualTo("Ana");
        assertThat(first.get("total_deliveries").asLong()).isEqualTo(4);
        assertThat(first.get("on_time_deliveries").asLong()).isEqualTo(3);
        assertThat(first.get("on_time_percentage").decimalValue().toPlainString())
                .isEqualTo("75.00");
        assertThat(angels.get("data").get(1).get("angel").asString()).isEqualTo("Carla");

        // Every (polo, weekday) pair here has exactly one attended visit: 9 groups, ordered by polo then weekday.
        JsonNode polos = get("/api/v1/atendimento/polo_productivity?at_most=100");
        assertThat(polos.get("total").asLong()).isEqualTo(9);
        List<String> rows = new ArrayList<>();
        polos.get("data")
                .forEach(item -> rows.add(
                        item.get("polo").asString() + " " + item.get("weekday").asString() + " "
                                + item.get("total_deliveries").asLong()));
        assertThat(rows)
                .containsExactly(
                        "RJ - NITEROI Monday 1",
                        "RJ - NITEROI Wednesday 1",
                        "RJ - NITEROI Thursday 1",
                        "RJ - NITEROI Sunday 1",
                        "SP - SANTOS Tuesday 1",
                        "SP - SANTOS Wednesday 1",
                        "SP - SANTOS Thursday 1",
                        "SP - SANTOS Friday 1",
                        "SP - SANTOS Saturday 1");
    }

    @Test
    void monthBoundariesSplitBetweenMonthlyAndDailySummaries() {
        // June 28-30 come from the daily summary, July as a whole month from the monthly one.
        assertThat(rows(get("/api/v1/indicators/sla/polo?start_date=2021-06-28&end_date=2021-07-31"), "polo"))
                .containsExactly("RJ - NITEROI 4 2 2 50.00", "SP - SANTOS 5 4 1 80.00");
        assertThat(rows(get("/api/v1/indicators/sla/polo?start_date=2021-06-01&end_date=2021-06-30"), "polo"))
                .containsExactly("RJ - NITEROI 2 1 1 50.00", "SP - SANTOS 2 2 0 100.00");
        assertThat(rows(get("/api/v1/indicators/sla/polo?start_date=2021-07-02&end_date=2021-08-31"), "polo"))
                .containsExactly("RJ - NITEROI 1 0 1 0.00", "SP - SANTOS 2 2 0 100.00");
        assertThat(rows(get("/api/v1/indicators/sla/polo?start_date=2021-05-01&end_date=2021-06-29"), "polo"))
                .containsExactly("RJ - NITEROI 1 1 0 100.00", "SP - SANTOS 1 1 0 100.00");
        assertThat(get("/api/v1/indicators/sla/polo?start_date=2021-08-01").get("data"))
                .isEmpty();
    }

    @Test
    void summariesMatchTheVisitsExactly() {
        String monthly = """
                SELECT date_trunc('month', data_de_atendimento)::date AS month, angel_id, polo_id, count(*) AS attended,
                       count(*) FILTER (WHERE data_de_atendimento::date <= data_limite) AS on_time
                FROM fieldservice_visit WHERE status = 'DONE' AND deleted_at IS NULL GROUP BY 1, 2, 3""";
        assertThat(jdbc.sql("SELECT count(*) FROM ((" + monthly
                                + " EXCEPT SELECT month, angel_id, polo_id, attended, on_time FROM fieldservice_visit_month WHERE attended > 0)"
                                + " UNION ALL (SELECT month, angel_id, polo_id, attended, on_time FROM fieldservice_visit_month WHERE attended > 0 EXCEPT "
                                + monthly + ")) diff")
                        .query(Long.class)
                        .single())
                .isZero();
        String weekday = """
                SELECT polo_id, extract(isodow FROM data_de_atendimento)::int AS weekday, count(*) AS attended
                FROM fieldservice_visit WHERE status = 'DONE' AND deleted_at IS NULL GROUP BY 1, 2""";
        assertThat(jdbc.sql("SELECT count(*) FROM ((" + weekday
                                + " EXCEPT SELECT polo_id, weekday, attended FROM fieldservice_polo_weekday WHERE attended > 0)"
                                + " UNION ALL (SELECT polo_id, weekday, attended FROM fieldservice_polo_weekday WHERE attended > 0 EXCEPT "
                                + weekday + ")) diff")
                        .query(Long.class)
                        .single())
                .isZero();

        String fromVisits = """
                SELECT data_de_atendimento::date AS day, angel_id, polo_id, count(*) AS attended,
                       count(*) FILTER (WHERE data_de_atendimento::date <= data_limite) AS on_time
                FROM fieldservice_visit WHERE status = 'DONE' AND deleted_at IS NULL GROUP BY 1, 2, 3""";
        long mismatches = jdbc.sql("SELECT count(*) FROM ((" + fromVisits
                        + " EXCEPT SELECT day, angel_id, polo_id, attended, on_time FROM fieldservice_visit_day WHERE attended > 0)"
                        + " UNION ALL (SELECT day, angel_id, polo_id, attended, on_time FROM fieldservice_visit_day WHERE attended > 0 EXCEPT "
                        + fromVisits + ")) diff")
                .query(Long.class)
                .single();
        assertThat(mismatches).isZero();
    }

    @Test
    void holidaysAreAdminManaged() {
        ApiClient.Response created = api.post("/api/v1/holidays", "{\"date\": \"2021-12-25\", \"name\": \"Natal\"}");
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.header("Location")).hasValue("/api/v1/holidays/2021-12-25");
        assertProblem(api.post("/api/v1/holidays", "{\"date\": \"2021-12-25\", \"name\": \"Natal\"}"), 409);
        assertProblem(api.post("/api/v1/holidays", "{\"date\": \"2021-02-31\", \"name\": \"Nope\"}"), 422);
        assertProblem(api.post("/api/v1/holidays", "{\"date\": \"2021-12-24\"}"), 422);
        assertThat(api.get("/api/v1/holidays/2021-12-25").json().get("name").asString())
                .isEqualTo("Natal");
        JsonNode year = api.get("/api/v1/holidays?year=2021").json();
        assertThat(year.get("data").toString()).contains("2021-07-01", "2021-12-25");
        assertThat(api.delete("/api/v1/holidays/2021-12-25").status()).isEqualTo(204);
        assertProblem(api.delete("/api/v1/holidays/2021-12-25"), 404);
        assertProblem(api.get("/api/v1/holidays/xmas"), 400);
        assertProblem(api.get("/api/v1/holidays?year=abc"), 400);
    }
}

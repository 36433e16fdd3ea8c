package com.relaycrm.fieldservice;

import static org.assertj.core.api.Assertions.assertThat;

import com.relaycrm.platform.Role;
import com.relaycrm.testsupport.ApiClient;
import com.relaycrm.testsupport.HttpTestSupport;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

class VisitsHttpTest extends HttpTestSupport {

    @Autowired
    JdbcClient jdbc;

    @Autowired
    FieldServiceApi fieldService;

    private JsonNode create(String body) {
        ApiClient.Response response = api.post("/api/v1/atendimento", body);
        assertThat(response.status()).as(response.body()).isEqualTo(201);
        return response.json();
    }

    @Test
    void createsWithTheSeedBodyAndShowsTheVisit() {
        ApiClient.Response response = api.post("/api/v1/atendimento", """
                {"id_cliente": 123456, "angel": "  João   César ", "polo": "RJ - VOLTA REDONDA",
                 "data_limite": "2021-06-30 15:30", "data_de_atendimento": "2021-06-29 10:00"}""");
        assertThat(response.status()).as(response.body()).isEqualTo(201);
        JsonNode visit = response.json();
        long id = visit.get("id").asLong();
        assertThat(response.header("Location")).hasValue("/api/v1/atendimento/" + id);
        assertThat(visit.get("angel").asString()).isEqualTo("João César");
        assertThat(visit.get("polo").asString()).isEqualTo("RJ - VOLTA REDONDA");
        assertThat(visit.get("uf").asString()).isEqualTo("RJ");
        assertThat(visit.get("id_cliente").asLong()).isEqualTo(123456);
        assertThat(visit.get("cliente_id").asLong()).isEqualTo(123456);
        assertThat(visit.get("data_limite").asString()).isEqualTo("2021-06-30");
        assertThat(visit.get("data_de_atendimento").asString()).isEqualTo("2021-06-29T10:00:00");
        assertThat(visit.get("status").asString()).isEqualTo("DONE");
        assertThat(visit.get("on_time").asBoolean()).isTrue();
        assertThat(visit.get("id_atendimento").isNull()).isTrue();

        FieldServiceApi.Visit fromFacade = fieldService.visit(id).orElseThrow();
        assertThat(fromFacade.angel()).isEqualTo("João César");
        assertThat(fromFacade.dataDeAtendimento()).isEqualTo(java.time.LocalDateTime.parse("2021-06-29T10:00:00"));
        assertThat(fieldService.visitByExternalId(123456789)).isEmpty();

        ApiClient.Response fetched = api.get("/api/v1/atendimento/" + id);
        assertThat(fetched.status()).isEqualTo(200);
        assertThat(fetched.json().get("angel").asString()).isEqualTo("João César");
    }

    @Test
    void visitWithoutDateIsPendingAndDeadlineDayAt2359IsOnTime() {
        JsonNode pending = create("""
                {"id_cliente": 1, "angel": "Ana", "polo": "SP - SANTOS", "data_limite": "30/06/2021"}""");
        assertThat(pending.get("status").asString()).isEqualTo("PENDING");
        assertThat(pending.get("on_time").isNull()).isTrue();
        assertThat(pending.get("data_de_atendimento").isNull()).isTrue();
        JsonNode lastMinute = create("""
                {"id_cliente": 1, "angel": "Ana", "polo": "SP - SANTOS", "data_limite": "2021-06-30",
                 "data_de_atendimento": "30/06/2021 23:59:59"}""");
        assertThat(lastMinute.get("on_time").asBoolean()).isTrue();
        JsonNode late = create("""
                {"id_cliente": 1, "angel": "Ana", "polo": "SP - SANTOS", "data_limite": "2021-06-30",
                 "data_de_atendimento": "2021-07-01T00:00:00"}""");
        assertThat(late.get("on_time").asBoolean()).isFalse();
    }

    @Test
    void datesAreDayFirstAndImpossibleDatesAre422NamingTheField() {
        JsonNode visit = create("""
                {"id_cliente": 2, "angel": "Bia", "polo": "SP - SANTOS", "data_limite": "04/01/2022",
                 "data_de_atendimento": "03/01/2022 08:00"}""");
        assertThat(visit.get("data_limite").asString()).isEqualTo("2022-01-04");
        var problem = assertProblem(api.post("/api/v1/atendimento", """
                {"id_cliente": 2, "angel": "Bia", "polo": "SP - SANTOS", "data_limite": "31/02/2021"}"""), 422);
        assertThat(problem.get("errors").get(0).get("field").asString()).isEqualTo("data_limite");
        problem = assertProblem(api.post("/api/v1/atendimento", """
                {"id_cliente": 2, "angel": "Bia", "polo": "SP - SANTOS", "data_limite": "2021-06-30",
                 "data_de_atendimento": "yesterday"}"""), 422);
        assertThat(problem.get("errors").get(0).get("field").asString()).isEqualTo("data_de_atendimento");
    }

    @Test
    void invalidBodiesAre4xxNamingTheField() {
        assertProblem(api.post("/api/v1/atendimento", "{not json"), 400);
        var problem = assertProblem(api.post("/api/v1/atendimento", """
                {"id_cliente": "abc", "angel": 5, "data_limite": "2021-06-30", "color": "red", "status": "LATE"}"""), 422);
        List<String> fields = new ArrayList<>();
        problem.get("errors").forEach(e -> fields.add(e.get("field").asString()));
        assertThat(fields).contains("id_cliente", "angel", "polo", "color", "status");
        assertProblem(api.post("/api/v1/atendimento", """
                {"id_cliente": 99999999999999999999999, "angel": "A", "polo": "B", "data_limite": "2021-06-30"}"""), 422);
        assertProblem(api.post("/api/v1/atendimento", """
                {"id_cliente": 0, "angel": "A", "polo": "B", "data_limite": "2021-06-30"}"""), 422);
        assertProblem(api.post("/api/v1/atendimento", """
                {"id_cliente": 3, "angel": "A", "polo": "B", "data_limite": "2021-06-30", "status": "DONE"}"""), 422);
        assertProblem(api.post("/api/v1/atendimento", "[1,2]"), 422);
        assertProblem(api.get("/api/v1/atendimento/abc"), 404);
        assertProblem(api.get("/api/v1/atendimento/99999999"), 404);
    }

    @Test
    void duplicateIdAtendimentoIs409WithTheExistingId() {
        JsonNode first = create("""
                {"id_atendimento": 777, "id_cliente": 4, "angel": "Caio", "polo": "MG - ALFENAS", "data_limite": "2021-06-30"}""");
        var problem = assertProblem(api.post("/api/v1/atendimento", """
                {"id_atendimento": 777, "id_cliente": 5, "angel": "Caio", "polo": "MG - ALFENAS", "data_limite": "2021-06-30"}"""), 409);
        assertThat(problem.get("existing_id").asLong())
                .isEqualTo(first.get("id").asLong());
    }

    @Test
    void concurrentCreatesNeverDuplicateAngelsPolosOrExternalIds() throws Exception {
        int writers = 16;
        CountDownLatch start = new CountDownLatch(1);
        List<Future<ApiClient.Response>> results = new ArrayList<>();
        try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < writers; i++) {
                int n = i;
                results.add(executor.submit(() -> {
                    start.await();
                    return api.post("/api/v1/atendimento", """
                            {"id_atendimento": %d, "id_cliente": 4242, "angel": "Concurrent Angel",
                             "polo": "BA - SALVADOR", "data_limite": "2021-06-30"}""".formatted(n % 2 == 0 ? 9001 : 9100 + n));
                }));
            }
            start.countDown();
        }
        int created = 0;
        int conflicts = 0;
        for (Future<ApiClient.Response> result : results) {
            int status = result.get().status();
            assertThat(status).as(result.get().body()).isIn(201, 409);
            if (status == 201) {
                created++;
            } else {
                conflicts++;
            }
        }
        assertThat(created).isEqualTo(1 + writers / 2);
        assertThat(conflicts).isEqualTo(writers / 2 - 1);
        assertThat(jdbc.sql("SELECT count(*) FROM fieldservice_angel WHERE name = 'Concurrent Angel'")
                        .query(Long.class)
                        .single())
                .isEqualTo(1);
        assertThat(jdbc.sql("SELECT count(*) FROM fieldservice_polo WHERE name = 'BA - SALVADOR'")
                        .query(Long.class)
                        .single())
                .isEqualTo(1);
        assertThat(jdbc.sql("SELECT count(*) FROM fieldservice_client WHERE id_cliente = 4242")
                        .query(Long.class)
                        .single())
                .isEqualTo(1);
    }

    @Test
    void putReplacesPatchChangesSomeFieldsDeleteHidesTheVisit() {
        JsonNode visit = create("""
                {"id_atendimento": 555, "id_cliente": 6, "angel": "Duda", "polo": "PR - LONDRINA",
                 "data_limite": "2021-06-30", "data_de_atendimento": "2021-06-29 10:00"}""");
        long id = visit.get("id").asLong();
        ApiClient.Response patched = api.patch("/api/v1/atendimento/" + id, """
                {"data_limite": "2025-01-25 23:00", "data_de_atendimento": "2025-01-26 15:25"}""");
        assertThat(patched.status()).as(patched.body()).isEqualTo(200);
        assertThat(patched.json().get("data_limite").asString()).isEqualTo("2025-01-25");
        assertThat(patched.json().get("on_time").asBoolean()).isFalse();
        assertThat(patched.json().get("angel").asString()).isEqualTo("Duda");
        assertThat(patched.json().get("id_atendimento").asLong()).isEqualTo(555);

        ApiClient.Response cancelled = api.patch("/api/v1/atendimento/" + id, "{\"status\": \"CANCELLED\"}");
        assertThat(cancelled.json().get("status").asString()).isEqualTo("CANCELLED");
        assertThat(cancelled.json().get("on_time").isNull()).isTrue();

        // the seed's PUT sends only the schedule: the rest keeps its value, the visit time is replaced (here: none)
        ApiClient.Response schedule = api.put("/api/v1/atendimento/" + id, "{\"data_limite\": \"2025-01-25\"}");
        assertThat(schedule.status()).as(schedule.body()).isEqualTo(200);
        assertThat(schedule.json().get("angel").asString()).isEqualTo("Duda");
        assertThat(schedule.json().get("id_atendimento").asLong()).isEqualTo(555);
        assertThat(schedule.json().get("data_de_atendimento").isNull()).isTrue();
        assertThat(schedule.json().get("status").asString()).isEqualTo("PENDING");
        assertProblem(api.put("/api/v1/atendimento/" + id, "{\"data_de_atendimento\": \"2025-01-25\"}"), 422);
        ApiClient.Response replaced = api.put("/api/v1/atendimento/" + id, """
                {"id_cliente": 7, "angel": "Edu", "polo": "PR - CURITIBA", "data_limite": "2021-07-10"}""");
        assertThat(replaced.status()).as(replaced.body()).isEqualTo(200);
        assertThat(replaced.json().get("status").asString()).isEqualTo("PENDING");
        assertThat(replaced.json().get("data_de_atendimento").isNull()).isTrue();
        assertThat(replaced.json().get("angel").asString()).isEqualTo("Edu");
        assertThat(replaced.json().get("id_cliente").asLong()).isEqualTo(7);

        assertProblem(api.put("/api/v1/atendimento/424242", """
                {"id_cliente": 7, "angel": "Edu", "polo": "PR - CURITIBA", "data_limite": "2021-07-10"}"""), 404);

        assertThat(api.delete("/api/v1/atendimento/" + id).status()).isEqualTo(204);
        assertProblem(api.get("/api/v1/atendimento/" + id), 404);
        assertProblem(api.delete("/api/v1/atendimento/" + id), 404);
        // the external id is free again once its visit is deleted
        create("""
                {"id_atendimento": 555, "id_cliente": 6, "angel": "Duda", "polo": "PR - LONDRINA", "data_limite": "2021-06-30"}""");
    }

    @Test
    void totalIsExactUpToTenThousandThenABoundUnlessAskedForExactly() {
        create("""
                {"id_cliente": 1, "angel": "Bulk Angel", "polo": "AC - BULK", "data_limite": "2021-06-30"}""");
        jdbc.sql("""
                        INSERT INTO fieldservice_visit (id_cliente, angel_id, polo_id, data_limite, status, created_at, updated_at)
                        SELECT 1, a.id, p.id, DATE '2021-06-30', 'PENDING', now(), now()
                        FROM fieldservice_angel a, fieldservice_polo p, generate_series(1, 10049)
                        WHERE a.name = 'Bulk Angel' AND p.name = 'AC - BULK'""").update();
        String base = "/api/v1/atendimento?polo=AC%20-%20BULK";

        JsonNode bounded = api.get(base).json();
        assertThat(bounded.get("total").asLong()).isEqualTo(10_000);
        assertThat(bounded.get("total_is_exact").asBoolean()).isFalse();
        assertThat(bounded.get("data")).hasSize(10);
        assertThat(bounded.get("next").isNull()).isFalse();

        JsonNode exact = api.get(base + "&exact_total=true").json();
        assertThat(exact.get("total").asLong()).isEqualTo(10_050);
        assertThat(exact.get("total_is_exact").asBoolean()).isTrue();

        // past the bound the count reaches one visit beyond the page, so next stays right on the last pages
        JsonNode beforeLast = api.get(base + "&page=1004").json();
        assertThat(beforeLast.get("data")).hasSize(10);
        assertThat(beforeLast.get("total").asLong()).isEqualTo(10_041);
        assertThat(beforeLast.get("total_is_exact").asBoolean()).isFalse();
        assertThat(beforeLast.get("next").isNull()).isFalse();
        JsonNode last = api.get(base + "&page=1005").json();
        assertThat(last.get("data")).hasSize(10);
        assertThat(last.get("total").asLong()).isEqualTo(10_050);
        assertThat(last.get("total_is_exact").asBoolean()).isTrue();
        assertThat(last.get("next").isNull()).isTrue();
        assertThat(api.get(base + "&page=1006").json().get("data")).isEmpty();

        JsonNode small = api.get(base + "&angel=Nobody").json();
        assertThat(small.get("total").asLong()).isZero();
        assertThat(small.get("total_is_exact").asBoolean()).isTrue();
        assertProblem(api.get(base + "&exact_total=maybe"), 400);
    }

    @Test
    void rolesReadersReadAgentsWriteViewersCannot() {
        ApiClient viewer = clientFor("vera", Role.VIEWER);
        ApiClient agent = clientFor("alex", Role.AGENT);
        ApiClient sales = clientFor("sam", Role.SALES);
        String body = """
                {"id_cliente": 8, "angel": "Fabi", "polo": "CE - SOBRAL", "data_limite": "2021-06-30"}""";
        assertThat(agent.post("/api/v1/atendimento", body).status()).isEqualTo(201);
        assertProblem(viewer.post("/api/v1/atendimento", body), 403);
        assertProblem(sales.post("/api/v1/atendimento", body), 403);
        assertThat(viewer.get("/api/v1/atendimento").status()).isEqualTo(200);
        assertThat(viewer.get("/api/v1/indicators/sla/polo").status()).isEqualTo(200);
        assertProblem(api.anonymous().get("/api/v1/atendimento"), 401);
        assertProblem(agent.post("/api/v1/holidays", "{\"date\": \"2021-12-25\", \"name\": \"Natal\"}"), 403);
        assertThat(viewer.get("/api/v1/holidays").status()).isEqualTo(200);
    }

    @Test
    void listsWithFiltersOrderingAndPaging() {
        // Five visits in a polo of their own, so other tests' rows never match the filters.
        create("""
                {"id_atendimento": 100001, "id_cliente": 11, "angel": "Zeca", "polo": "AC - LISTING", "data_limite": "2021-06-30",
                 "data_de_atendimento": "2021-06-30 18:00"}""");
        create("""
                {"id_atendimento": 100002, "id_cliente": 12, "angel": "Yara", "polo": "AC - LISTING", "data_limite": "2021-06-30",
                 "data_de_atendimento": "2021-07-02 09:00"}""");
        create("""
                {"id_atendimento": 100003, "id_cliente": 13, "angel": "Xavi", "polo": "AC - LISTING", "data_limite": "2021-07-05"}""");
        create("""
                {"id_atendimento": 100004, "id_cliente": 11, "angel": "Zeca", "polo": "AC - LISTING", "data_limite": "2021-07-01",
                 "data_de_atendimento": "2021-06-28 08:00", "status": "CANCELLED"}""");
        create("""
                {"id_atendimento": 100005, "id_cliente": 14, "angel": "Wal", "polo": "AC - LISTING", "data_limite": "2021-07-10",
                 "data_de_atendimento": "2021-07-09 08:00"}""");
        String base = "/api/v1/atendimento?polo=AC%20-%20LISTING";

        JsonNode all = api.get(base + "&per_page=2&order_by=-data_limite").json();
        assertThat(all.get("total").asLong()).isEqualTo(5);
        assertThat(ids(all)).containsExactly(100005L, 100003L);
        assertThat(all.get("prev").isNull()).isTrue();
        String next = all.get("next").asString();
        assertThat(next).contains("page=2").contains("per_page=2").contains("order_by=-data_limite");
        JsonNode second = api.get(next.replaceFirst("^https?://[^/]+", "")).json();
        // ties on data_limite fall back to the id, in the same direction
        assertThat(ids(second)).containsExactly(100004L, 100002L);
        assertThat(second.get("prev").asString()).contains("page=1");
        JsonNode third =
                api.get(base + "&per_page=2&page=3&order_by=-data_limite").json();
        assertThat(ids(third)).containsExactly(100001L);
        assertThat(third.get("next").isNull()).isTrue();

        assertThat(ids(api.get(base + "&order_by=angel").json()))
                .containsExactly(100005L, 100003L, 100002L, 100001L, 100004L);
        assertThat(ids(api.get(base + "&order_by=-cliente_id").json()))
                .containsExactly(100005L, 100003L, 100002L, 100004L, 100001L);
        assertThat(ids(api.get(base + "&id_cliente=11").json())).containsExactly(100001L, 100004L);
        assertThat(ids(api.get(base + "&angel=%20Zeca%20").json())).containsExactly(100001L, 100004L);
        assertThat(ids(api.get(base + "&status=PENDING").json())).containsExactly(100003L);
        assertThat(ids(api.get(base + "&on_time=true").json())).containsExactly(100001L, 100005L);
        assertThat(ids(api.get(base + "&on_time=false").json())).containsExactly(100002L);
        assertThat(ids(api.get(base + "&uf=ac").json())).hasSize(5);
        JsonNode noUf = api.get(base + "&uf=zz").json();
        assertThat(ids(noUf)).isEmpty();
        assertThat(noUf.get("total").asLong()).isZero();
        // name orders read each name's visits only as deep as the page: ties, direction and later pages still hold
        assertThat(ids(api.get(base + "&order_by=-angel").json()))
                .containsExactly(100004L, 100001L, 100002L, 100003L, 100005L);
        assertThat(ids(api.get(base + "&order_by=angel&per_page=2&page=2").json()))
                .containsExactly(100002L, 100001L);
        assertThat(ids(api.get(base + "&order_by=angel&per_page=2&page=3").json()))
                .containsExactly(100004L);
        assertThat(ids(api.get(base + "&order_by=-polo&per_page=2&page=2").json()))
                .containsExactly(100003L, 100002L);
        assertThat(ids(api.get(base + "&order_by=angel&angel=Zeca&status=CANCELLED")
                        .json()))
                .containsExactly(100004L);
        assertThat(ids(api.get(base + "&id_atendimento=100002").json())).containsExactly(100002L);
        assertThat(ids(api.get(base + "&data_limite_from=2021-07-01&data_limite_to=2021-07-05")
                        .json()))
                .containsExactly(100003L, 100004L);
        assertThat(ids(api.get(base + "&data_de_atendimento_from=2021-06-30&data_de_atendimento_to=2021-07-02")
                        .json()))
                .containsExactly(100001L, 100002L);

        var problem = assertProblem(api.get(base + "&order_by=color"), 400);
        assertThat(problem.get("detail").asString())
                .contains("id, created_at, updated_at, cliente_id, angel, polo, data_limite, data_de_atendimento");
        assertProblem(api.get(base + "&page=0"), 400);
        assertProblem(api.get(base + "&per_page=1001"), 400);
        assertProblem(api.get(base + "&per_page=abc"), 400);
        assertProblem(api.get(base + "&page=99999999999999999999"), 400);
        assertProblem(api.get(base + "&status=LATE"), 400);
        assertProblem(api.get(base + "&on_time=maybe"), 400);
        assertProblem(api.get(base + "&data_limite_from=31/02/2021"), 400);
        assertProblem(api.get(base + "&data_limite_from=2021-07-02&data_limite_to=2021-07-01"), 400);
    }

    private static List<Long> ids(JsonNode page) {
        List<Long> ids = new ArrayList<>();
        page.get("data").forEach(item -> ids.add(item.get("id_atendimento").asLong()));
        return ids;
    }
}

package com.relaycrm.sales;

import static org.assertj.core.api.Assertions.assertThat;

import com.relaycrm.platform.Role;
import com.relaycrm.testsupport.ApiClient;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

class LeadsHttpTest extends SalesHttpTestSupport {

    @Test
    void createReturns201WithLocationDefaultsAndExactRevenue() {
        long rep = employee();
        ApiClient.Response created = api.post("/leads/", """
                {"name": "  Acme Corp ", "contact_email": " john-doe@example.com ", "assigned_to": %d,
                 "expected_revenue": 1234.5, "source": "referral"}""".formatted(rep));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        JsonNode lead = created.json();
        long id = lead.get("id").asLong();
        assertThat(created.header("Location")).hasValue("/leads/" + id);
        assertThat(created.header("ETag")).hasValue("\"1\"");
        assertThat(lead.get("name").asString()).isEqualTo("Acme Corp");
        assertThat(lead.get("contact_email").asString()).isEqualTo("john-doe@example.com");
        assertThat(lead.get("status").asString()).isEqualTo("New");
        assertThat(lead.get("currency").asString()).isEqualTo("USD");
        assertThat(lead.get("expected_revenue").decimalValue()).isEqualByComparingTo("1234.5");
        assertThat(lead.get("expected_revenue").toString()).isEqualTo("1234.5");
        assertThat(lead.get("assigned_to").asLong()).isEqualTo(rep);
        assertThat(lead.get("version").asLong()).isEqualTo(1);
        assertThat(lead.has("created_at")).isTrue();
        assertThat(lead.has("customer_id")).isFalse();

        ApiClient.Response fetched = api.get("/leads/" + id);
        assertThat(fetched.status()).isEqualTo(200);
        assertThat(fetched.json().get("expected_revenue").toString()).isEqualTo("1234.5");
        assertThat(fetched.json().get("created_at")).isEqualTo(lead.get("created_at"));

        ApiClient.Response cents = api.post("/leads", """
                {"name": "Cents", "contact_email": "john+tag@example.com", "assigned_to": %d,
                 "expected_revenue": 0.07, "currency": "eur"}""".formatted(rep));
        assertThat(cents.status()).as(cents.body()).isEqualTo(201);
        assertThat(cents.json().get("expected_revenue").toString()).isEqualTo("0.07");
        assertThat(cents.json().get("currency").asString()).isEqualTo("EUR");
    }

    @ParameterizedTest
    @ValueSource(strings = {"a@b@c.com", "invalid", "x@y", "", "   ", "john doe@example.com", "@example.com"})
    void invalidEmailsAre422(String email) {
        long rep = employee();
        var problem = assertProblem(api.post("/leads", """
                {"name": "Bad mail", "contact_email": "%s", "assigned_to": %d}""".formatted(email, rep)), 422);
        assertThat(problem.get("errors").get(0).get("field").asString()).isEqualTo("contact_email");
    }

    @Test
    void validationMatrixNamesEveryInvalidField() {
        long rep = employee();
        record Case(String body, String field) {}
        List<Case> cases = List.of(
                new Case("{\"contact_email\":\"a@example.com\",\"assigned_to\":" + rep + "}", "name"),
                new Case("{\"name\":\"  \",\"contact_email\":\"a@example.com\",\"assigned_to\":" + rep + "}", "name"),
                new Case("{\"name\":7,\"contact_email\":\"a@example.com\",\"assigned_to\":" + rep + "}", "name"),
                new Case("{\"name\":\"N\",\"assigned_to\":" + rep + "}", "contact_email"),
                new Case("{\"name\":\"N\",\"contact_email\":\"a@example.com\"}", "assigned_to"),
                new Case("{\"name\":\"N\",\"contact_email\":\"a@example.com\",\"assigned_to\":999999}", "assigned_to"),
                new Case("{\"name\":\"N\",\"contact_email\":\"a@example.com\",\"assigned_to\":\"x\"}", "assigned_to"),
                new Case("{\"name\":\"N\",\"contact_email\":\"a@example.com\",\"assigned_to\":1.5}", "assigned_to"),
                new Case(base(rep, "\"status\":\"won\""), "status"),
                new Case(base(rep, "\"status\":\"Closed\""), "status"),
                new Case(base(rep, "\"status\":\"Won\""), "status"),
                new Case(base(rep, "\"status\":\"Lost\""), "status"),
                new Case(base(rep, "\"status\":null"), "status"),
                new Case(base(rep, "\"expected_revenue\":-1"), "expected_revenue"),
                new Case(base(rep, "\"expected_revenue\":1.234"), "expected_revenue"),
                new Case(base(rep, "\"expected_revenue\":\"100\""), "expected_revenue"),
                new Case(base(rep, "\"expected_revenue\":1e30"), "expected_revenue"),
                new Case(base(rep, "\"currency\":\"XYZ\""), "currency"),
                new Case(base(rep, "\"currency\":\"US\""), "currency"),
                new Case(base(rep, "\"source\":\"" + "s".repeat(101) + "\""), "source"),
                new Case(base(rep, "\"lost_reason\":\"price\""), "lost_reason"),
                new Case(base(rep, "\"account_manager_id\":" + rep), "account_manager_id"),
                new Case(base(rep, "\"id\":5"), "id"),
                new Case(base(rep, "\"customer_id\":5"), "customer_id"),
                new Case(base(rep, "\"version\":5"), "version"),
                new Case(base(rep, "\"created_at\":\"2020-01-01T00:00:00Z\""), "created_at"),
                new Case(base(rep, "\"unknown\":true"), "unknown"));
        String before = api.get("/leads").header("X-Total-Count").orElseThrow();
        List<String> failures = new ArrayList<>();
        for (Case c : cases) {
            ApiClient.Response response = api.post("/leads", c.body());
            if (response.status() != 422 || !response.body().contains("\"field\":\"" + c.field() + "\"")) {
                failures.add(c.body() + " -> " + response);
            }
        }
        assertThat(failures).isEmpty();
        assertThat(api.get("/leads").header("X-Total-Count")).hasValue(before);
    }

    @Test
    void deactivatedEmployeeCannotBeAssigned() {
        long rep = employee();
        api.patch("/employees/" + rep, "{\"active\":false}");
        var problem = assertProblem(api.post("/leads", base(rep, "\"source\":\"web\"")), 422);
        assertThat(problem.get("errors").get(0).get("field").asString()).isEqualTo("assigned_to");
    }

    @Test
    void malformedBodiesAreClientErrors() {
        assertProblem(api.post("/leads", "{\"name\": "), 400);
        assertProblem(api.post("/leads", "[]"), 422);
        assertProblem(api.post("/leads", ""), 400);
        long rep = employee();
        var huge = assertProblem(api.send("POST", "/leads", null, base(rep, "\"expected_revenue\":1e999999999")), 422);
        assertThat(huge.get("errors").get(0).get("field").asString()).isEqualTo("expected_revenue");
        assertProblem(
                api.post(
                        "/leads",
                        "{\"name\":\"N\",\"contact_email\":\"n@example.com\",\"assigned_to\":123456789012345678901234567890}"),
                422);
        long id = lead(rep).get("id").asLong();
        assertProblem(api.patch("/leads/" + id, "not json"), 400);
        assertProblem(api.patch("/leads/" + id, "\"text\""), 422);
    }

    @Test
    void duplicateOpenLeadIs409WithExistingId() {
        long rep = employee();
        long first = lead(rep, "Globex", "boss@globex.test").get("id").asLong();
        var problem = assertProblem(api.post("/leads", """
                {"name": "  GLOBEX ", "contact_email": "Boss@Globex.TEST", "assigned_to": %d}""".formatted(rep)), 409);
        assertThat(problem.get("existing_id").asLong()).isEqualTo(first);

        // a different name for the same person is another opportunity
        lead(rep, "Globex renewal", "boss@globex.test");
        // once the first is lost, a new open lead with the same name is allowed; reopening the lost one is then 409
        assertThat(setStatus(first, "Lost").status()).isEqualTo(200);
        long second = lead(rep, "Globex", "boss@globex.test").get("id").asLong();
        var reopen = assertProblem(setStatus(first, "New"), 409);
        assertThat(reopen.get("existing_id").asLong()).isEqualTo(second);
        var rename = assertProblem(
                patchLead(lead(rep).get("id").asLong(), "{\"name\":\"globex\",\"contact_email\":\"boss@globex.test\"}"),
                409);
        assertThat(rename.get("existing_id").asLong()).isEqualTo(second);
    }

    @Test
    void tenParallelCreatesOfOneLeadGiveOne201AndNine409() throws Exception {
        long rep = employee();
        List<ApiClient.Response> responses = LeadConversionHttpTest.race(
                10,
                i -> api.post(
                        "/leads",
                        "{\"name\":\"Parallel Co\",\"contact_email\":\"race@lead.test\",\"assigned_to\":" + rep + "}"));
        List<ApiClient.Response> created =
                responses.stream().filter(r -> r.status() == 201).toList();
        assertThat(created).as(responses.toString()).hasSize(1);
        long id = created.getFirst().json().get("id").asLong();
        assertThat(responses.stream()
                        .filter(r -> r.status() == 409)
                        .map(r -> r.json().get("existing_id").asLong()))
                .hasSize(9)
                .containsOnly(id);
        assertThat(api.get("/leads?q=race@lead.test").header("X-Total-Count")).hasValue("1");
    }

    @Test
    void openApiDescribesTheSalesRoutes() {
        JsonNode paths = api.anonymous().get("/openapi.json").json().get("paths");
        assertThat(paths.has("/leads")).isTrue();
        assertThat(paths.has("/leads/{id}/convert")).isTrue();
        assertThat(paths.has("/customers/{id}")).isTrue();
        assertThat(paths.has("/employees")).isTrue();
    }

    @Test
    void patchAndPutArePartialAndValidated() {
        long rep = employee();
        long other = employee();
        JsonNode lead = lead(rep);
        long id = lead.get("id").asLong();

        ApiClient.Response patched = patchLead(id, "{\"expected_revenue\": 99.99, \"source\": \"fair\"}");
        assertThat(patched.status()).as(patched.body()).isEqualTo(200);
        assertThat(patched.json().get("expected_revenue").toString()).isEqualTo("99.99");
        assertThat(patched.json().get("source").asString()).isEqualTo("fair");
        assertThat(patched.json().get("name").asString())
                .isEqualTo(lead.get("name").asString());
        assertThat(patched.json().get("version").asLong()).isEqualTo(2);

        ApiClient.Response put = api.put("/leads/" + id, "{\"assigned_to\": " + other + "}");
        assertThat(put.status()).as(put.body()).isEqualTo(200);
        assertThat(put.json().get("assigned_to").asLong()).isEqualTo(other);
        assertThat(put.json().get("expected_revenue").toString()).isEqualTo("99.99");

        ApiClient.Response cleared = patchLead(id, "{\"expected_revenue\": null, \"source\": null}");
        assertThat(cleared.json().has("expected_revenue")).isFalse();
        assertThat(cleared.json().has("source")).isFalse();

        assertProblem(patchLead(id, "{\"name\": null}"), 422);
        assertProblem(patchLead(id, "{\"name\": \"\"}"), 422);
        assertProblem(patchLead(id, "{\"contact_email\": \"a@b@c.com\"}"), 422);
        assertProblem(patchLead(id, "{\"status\": \"Pending\"}"), 422);
        assertProblem(patchLead(id, "{\"expected_revenue\": -5}"), 422);
        assertProblem(patchLead(id, "{\"assigned_to\": 424242}"), 422);
        assertProblem(patchLead(id, "{\"customer_id\": 1}"), 422);
        assertProblem(patchLead(id, "{\"colour\": \"red\"}"), 422);
        assertProblem(patchLead(id, "{\"lost_reason\": \"too pricey\"}"), 422);
        assertProblem(api.put("/leads/" + id, "{\"created_at\": \"2020-01-01T00:00:00Z\"}"), 422);
        assertProblem(patchLead(987654, "{\"source\": \"x\"}"), 404);
        assertProblem(api.put("/leads/987654", "{\"source\": \"x\"}"), 404);
        assertThat(api.get("/leads/" + id).json().get("version").asLong()).isEqualTo(4);
    }

    @Test
    void staleIfMatchIs412AndCurrentETagPasses() {
        long id = lead(employee()).get("id").asLong();
        String etag = api.get("/leads/" + id).header("ETag").orElseThrow();
        assertThat(etag).isEqualTo("\"1\"");
        ApiClient.Response first = api.patch("/leads/" + id, "{\"source\": \"a\"}", "If-Match", etag);
        assertThat(first.status()).as(first.body()).isEqualTo(200);
        assertThat(first.header("ETag")).hasValue("\"2\"");
        var stale = assertProblem(api.patch("/leads/" + id, "{\"source\": \"b\"}", "If-Match", etag), 412);
        assertThat(stale.get("current_version").asLong()).isEqualTo(2);
        assertProblem(api.put("/leads/" + id, "{\"source\": \"b\"}", "If-Match", etag), 412);
        assertThat(api.get("/leads/" + id).json().get("source").asString()).isEqualTo("a");
        assertThat(api.patch("/leads/" + id, "{\"source\": \"c\"}", "If-Match", "\"2\"")
                        .status())
                .isEqualTo(200);
        assertThat(api.patch("/leads/" + id, "{\"source\": \"d\"}", "If-Match", "*")
                        .status())
                .isEqualTo(200);
        assertThat(api.patch("/leads/" + id, "{\"source\": \"e\"}", "If-Match", "W/\"4\"")
                        .status())
                .isEqualTo(200);
    }

    @Test
    void softDeleteHidesAndRestoreBringsBack() {
        long rep = employee();
        long id = lead(rep).get("id").asLong();
        assertThat(api.delete("/leads/" + id).status()).isEqualTo(204);
        assertProblem(api.get("/leads/" + id), 404);
        assertProblem(api.delete("/leads/" + id), 404);
        assertProblem(patchLead(id, "{\"source\":\"x\"}"), 404);
        assertThat(api.get("/leads?assigned_to=" + rep).header("X-Total-Count")).hasValue("0");

        ApiClient.Response restored = api.post("/leads/" + id + "/restore", "");
        assertThat(restored.status()).as(restored.body()).isEqualTo(200);
        assertThat(restored.json().get("id").asLong()).isEqualTo(id);
        assertThat(api.get("/leads/" + id).status()).isEqualTo(200);
        assertThat(api.get("/leads?assigned_to=" + rep).header("X-Total-Count")).hasValue("1");
        assertThat(api.post("/leads/" + id + "/restore", "").status()).isEqualTo(200);

        assertProblem(api.delete("/leads/987654"), 404);
        assertProblem(api.post("/leads/987654/restore", ""), 404);
    }

    @Test
    void restoringIntoADuplicateIs409() {
        long rep = employee();
        long gone = lead(rep, "Initech", "bill@initech.test").get("id").asLong();
        api.delete("/leads/" + gone);
        long live = lead(rep, "Initech", "bill@initech.test").get("id").asLong();
        var problem = assertProblem(api.post("/leads/" + gone + "/restore", ""), 409);
        assertThat(problem.get("existing_id").asLong()).isEqualTo(live);
    }

    @Test
    void historyListsEveryChangeOldestFirstWithTheActingUser() {
        long rep = employee();
        ApiClient alice = clientFor("alice", Role.SALES);
        ApiClient bob = clientFor("bob", Role.SALES);
        ApiClient.Response created = alice.post("/leads", base(rep, "\"expected_revenue\": 10"));
        long id = created.json().get("id").asLong();
        assertThat(bob.patch("/leads/" + id, "{\"status\":\"Contacted\",\"expected_revenue\":20}")
                        .status())
                .isEqualTo(200);
        assertThat(alice.patch("/leads/" + id, "{\"status\":\"Lost\",\"lost_reason\":\"budget\"}")
                        .status())
                .isEqualTo(200);
        assertThat(bob.patch("/leads/" + id, "{\"source\":null}").status()).isEqualTo(200);
        assertThat(alice.delete("/leads/" + id).status()).isEqualTo(204);
        assertThat(bob.post("/leads/" + id + "/restore", "").status()).isEqualTo(200);

        ApiClient viewer = clientFor("vera", Role.VIEWER);
        ApiClient.Response response = viewer.get("/leads/" + id + "/history");
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        JsonNode history = response.json();
        assertThat(history.size()).isEqualTo(5);
        assertThat(history.get(0).get("action").asString()).isEqualTo("created");
        assertThat(history.get(0).get("username").asString()).isEqualTo("alice");
        assertThat(history.get(0).at("/changes/status/to").asString()).isEqualTo("New");
        assertThat(history.get(1).get("username").asString()).isEqualTo("bob");
        assertThat(history.get(1).at("/changes/status/from").asString()).isEqualTo("New");
        assertThat(history.get(1).at("/changes/status/to").asString()).isEqualTo("Contacted");
        assertThat(history.get(1).at("/changes/expected_revenue/from").toString())
                .isEqualTo("10");
        assertThat(history.get(1).at("/changes/expected_revenue/to").toString()).isEqualTo("20");
        assertThat(history.get(2).at("/changes/status/to").asString()).isEqualTo("Lost");
        assertThat(history.get(2).at("/changes/lost_reason/to").asString()).isEqualTo("budget");
        assertThat(history.get(2).get("username").asString()).isEqualTo("alice");
        assertThat(history.get(3).get("action").asString()).isEqualTo("deleted");
        assertThat(history.get(4).get("action").asString()).isEqualTo("restored");
        assertThat(history.get(4).get("username").asString()).isEqualTo("bob");
        for (int i = 1; i < history.size(); i++) {
            assertThat(history.get(i).get("id").asLong())
                    .isGreaterThan(history.get(i - 1).get("id").asLong());
            assertThat(history.get(i)
                            .get("at")
                            .asString()
                            .compareTo(history.get(i - 1).get("at").asString()))
                    .isGreaterThanOrEqualTo(0);
        }
        assertProblem(api.get("/leads/987654/history"), 404);
    }

    @Test
    void listPagesFiltersAndSortsWithTotal() {
        long rep = employee();
        long other = employee();
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            ids.add(lead(i < 5 ? rep : other, "Pager " + i, "pager" + i + "@list.test")
                    .get("id")
                    .asLong());
        }
        patchLead(ids.get(1), "{\"status\":\"Qualified\",\"expected_revenue\":5}");
        patchLead(ids.get(2), "{\"status\":\"Qualified\",\"expected_revenue\":50000,\"source\":\"event\"}");

        ApiClient.Response page = api.get("/leads?assigned_to=" + rep + "&skip=1&limit=2");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.header("X-Total-Count")).hasValue("5");
        assertThat(idsOf(page.json())).containsExactly(ids.get(1), ids.get(2));

        assertThat(idsOf(api.get("/leads?status=Qualified").json())).containsExactly(ids.get(1), ids.get(2));
        assertThat(idsOf(api.get("/leads?source=event").json())).containsExactly(ids.get(2));
        assertThat(idsOf(api.get("/leads?q=PAGER%206").json())).containsExactly(ids.get(6));
        assertThat(idsOf(api.get("/leads?q=pager5%40LIST").json())).containsExactly(ids.get(5));
        assertThat(api.get("/leads?q=%25").header("X-Total-Count")).hasValue("0");
        assertThat(idsOf(api.get("/leads?status=Qualified&sort=-expected_revenue")
                        .json()))
                .containsExactly(ids.get(2), ids.get(1));
        assertThat(idsOf(api.get("/leads?assigned_to=" + other + "&sort=-id").json()))
                .containsExactly(ids.get(6), ids.get(5));
        assertThat(idsOf(api.get("/leads?assigned_to=" + other + "&sort=created_at")
                        .json()))
                .containsExactly(ids.get(5), ids.get(6));
        String today = java.time.LocalDate.now(java.time.ZoneOffset.UTC).toString();
        assertThat(api.get("/leads?created_from=" + today + "&created_to=" + today)
                        .header("X-Total-Count"))
                .hasValue("7");
        assertThat(api.get("/leads?created_to=2000-01-01T00:00:00Z").header("X-Total-Count"))
                .hasValue("0");
        assertThat(api.get("/leads?created_from=2999-01-01").header("X-Total-Count"))
                .hasValue("0");
        ApiClient.Response beyond = api.get("/leads?skip=100");
        assertThat(beyond.json().size()).isZero();
        assertThat(beyond.header("X-Total-Count")).hasValue("7");
        assertThat(api.get("/leads?limit=500").json().size()).isEqualTo(7);
    }

    @Test
    void badListParametersAre400NamingTheParameter() {
        for (String query : List.of(
                "limit=0",
                "limit=501",
                "limit=abc",
                "skip=-1",
                "skip=99999999999999999999",
                "status=won",
                "status=Closed",
                "assigned_to=x",
                "assigned_to=0",
                "created_from=yesterday",
                "created_to=2025-13-01",
                "created_from=%2B999999999-01-01T00:00:00Z",
                "created_to=0001-01-01",
                "sort=name",
                "sort=--id")) {
            String parameter = query.substring(0, query.indexOf('='));
            var problem = assertProblem(api.get("/leads?" + query), 400);
            assertThat(problem.get("errors").get(0).get("field").asString())
                    .as(query)
                    .isEqualTo(parameter);
        }
    }

    @Test
    void rolesDecideWhoReadsAndWrites() {
        long rep = employee();
        long id = lead(rep).get("id").asLong();
        for (Role reader : List.of(Role.VIEWER, Role.AGENT)) {
            ApiClient client = clientFor("reader-" + reader.name().toLowerCase(), reader);
            assertThat(client.get("/leads").status()).isEqualTo(200);
            assertThat(client.get("/leads/" + id).status()).isEqualTo(200);
            assertThat(client.get("/customers").status()).isEqualTo(200);
            assertProblem(client.post("/leads", base(rep, "\"source\":\"x\"")), 403);
            assertProblem(client.patch("/leads/" + id, "{\"source\":\"x\"}"), 403);
            assertProblem(client.delete("/leads/" + id), 403);
            assertProblem(client.post("/leads/" + id + "/convert", ""), 403);
            assertProblem(client.post("/customers", "{}"), 403);
        }
        ApiClient sales = clientFor("sally", Role.SALES);
        assertThat(sales.patch("/leads/" + id, "{\"source\":\"x\"}").status()).isEqualTo(200);
        ApiClient messaging = clientFor("bot", Role.MESSAGING_SERVICE);
        assertProblem(messaging.get("/leads"), 403);
        assertProblem(api.anonymous().get("/leads"), 401);
    }

    private static String base(long rep, String extra) {
        return "{\"name\":\"" + unique("matrix") + "\",\"contact_email\":\"m@example.com\",\"assigned_to\":" + rep + ","
                + extra + "}";
    }

    private static List<Long> idsOf(JsonNode array) {
        List<Long> ids = new ArrayList<>();
        array.forEach(node -> ids.add(node.get("id").asLong()));
        return ids;
    }
}

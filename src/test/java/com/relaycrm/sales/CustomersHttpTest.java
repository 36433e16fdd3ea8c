package com.relaycrm.sales;

import static org.assertj.core.api.Assertions.assertThat;

import com.relaycrm.testsupport.ApiClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class CustomersHttpTest extends SalesHttpTestSupport {

    private ApiClient.Response createCustomer(long manager, String email, String extra) {
        return api.post(
                "/customers",
                "{\"name\":\"" + unique("cust") + "\",\"contact_email\":\"" + email + "\",\"account_manager_id\":"
                        + manager + (extra.isEmpty() ? "" : "," + extra) + "}");
    }

    @Test
    void createsReadsUpdatesAndLists() {
        long manager = employee("ACCOUNT_MANAGER");
        ApiClient.Response created = api.post("/customers/", """
                {"name": "Initrode", "contact_email": "peter@initrode.test", "account_manager_id": %d,
                 "phone_number": "+44 (20) 7946-0000", "address": "1 Main St", "signed_date": "2025-03-01"}""".formatted(manager));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        long id = created.json().get("id").asLong();
        assertThat(created.header("Location")).hasValue("/customers/" + id);
        assertThat(created.header("ETag")).hasValue("\"1\"");
        assertThat(created.json().get("signed_date").asString()).isEqualTo("2025-03-01");
        assertThat(created.json().get("phone_number").asString()).isEqualTo("+44 (20) 7946-0000");
        assertThat(created.json().has("lead_id")).isFalse();

        ApiClient.Response patched = api.patch("/customers/" + id, "{\"address\":\"2 Side St\",\"phone_number\":null}");
        assertThat(patched.status()).as(patched.body()).isEqualTo(200);
        assertThat(patched.json().get("address").asString()).isEqualTo("2 Side St");
        assertThat(patched.json().has("phone_number")).isFalse();
        assertThat(patched.json().get("name").asString()).isEqualTo("Initrode");
        assertThat(patched.json().get("version").asLong()).isEqualTo(2);

        long other = employee("ACCOUNT_MANAGER");
        ApiClient.Response put = api.put(
                "/customers/" + id,
                "{\"account_manager_id\":" + other
                        + ",\"contact_email\":\"Peter.G@initrode.test\",\"name\":\"Initrode Ltd\"}");
        assertThat(put.status()).as(put.body()).isEqualTo(200);
        assertThat(put.json().get("account_manager_id").asLong()).isEqualTo(other);
        assertThat(put.json().get("contact_email").asString()).isEqualTo("Peter.G@initrode.test");
        assertThat(put.json().get("address").asString()).isEqualTo("2 Side St");

        assertThat(api.get("/customers?account_manager_id=" + other).header("X-Total-Count"))
                .hasValue("1");
        assertThat(api.get("/customers?email=peter.g@INITRODE.test")
                        .json()
                        .get(0)
                        .get("id")
                        .asLong())
                .isEqualTo(id);
        assertThat(api.get("/customers?q=rode%20L").header("X-Total-Count")).hasValue("1");
        assertThat(api.get("/customers?q=nothing-like-it").header("X-Total-Count"))
                .hasValue("0");
        assertProblem(api.get("/customers?account_manager_id=abc"), 400);
        assertProblem(api.get("/customers?limit=1000"), 400);
        assertProblem(api.get("/customers/987654"), 404);
        assertProblem(api.patch("/customers/987654", "{\"address\":\"x\"}"), 404);
    }

    @Test
    void withoutSignedDateTheCustomerIsSignedToday() {
        ApiClient.Response created = createCustomer(employee(), "today@signed.test", "");
        assertThat(created.json().get("signed_date").asString())
                .isEqualTo(java.time.LocalDate.now(java.time.ZoneOffset.UTC).toString());
    }

    @Test
    void validatesEveryField() {
        long manager = employee();
        long retired = employee();
        api.patch("/employees/" + retired, "{\"active\":false}");
        record Case(String body, String field) {}
        String ok = "\"name\":\"N\",\"contact_email\":\"n@valid.test\"";
        List<Case> cases = List.of(
                new Case("{\"contact_email\":\"a@valid.test\",\"account_manager_id\":" + manager + "}", "name"),
                new Case("{\"name\":\"N\",\"account_manager_id\":" + manager + "}", "contact_email"),
                new Case(
                        "{\"name\":\"N\",\"contact_email\":\"x@y\",\"account_manager_id\":" + manager + "}",
                        "contact_email"),
                new Case("{" + ok + "}", "account_manager_id"),
                new Case("{" + ok + ",\"account_manager_id\":" + retired + "}", "account_manager_id"),
                new Case("{" + ok + ",\"account_manager_id\":987654}", "account_manager_id"),
                new Case(
                        "{" + ok + ",\"account_manager_id\":" + manager + ",\"phone_number\":\"12345\"}",
                        "phone_number"),
                new Case(
                        "{" + ok + ",\"account_manager_id\":" + manager + ",\"phone_number\":\"call me maybe\"}",
                        "phone_number"),
                new Case(
                        "{" + ok + ",\"account_manager_id\":" + manager
                                + ",\"phone_number\":\"123456789012345678901\"}",
                        "phone_number"),
                new Case(
                        "{" + ok + ",\"account_manager_id\":" + manager + ",\"signed_date\":\"01/02/2025\"}",
                        "signed_date"),
                new Case(
                        "{" + ok + ",\"account_manager_id\":" + manager + ",\"signed_date\":\"2025-02-30\"}",
                        "signed_date"),
                new Case(
                        "{" + ok + ",\"account_manager_id\":" + manager + ",\"signed_date\":\"+999999999-12-31\"}",
                        "signed_date"),
                new Case("{" + ok + ",\"account_manager_id\":" + manager + ",\"lead_id\":987654}", "lead_id"),
                new Case("{" + ok + ",\"account_manager_id\":" + manager + ",\"lead_id\":\"one\"}", "lead_id"),
                new Case("{" + ok + ",\"account_manager_id\":" + manager + ",\"id\":1}", "id"),
                new Case("{" + ok + ",\"account_manager_id\":" + manager + ",\"version\":1}", "version"),
                new Case("{" + ok + ",\"account_manager_id\":" + manager + ",\"vip\":true}", "vip"));
        List<String> failures = new ArrayList<>();
        for (Case c : cases) {
            ApiClient.Response response = api.post("/customers", c.body());
            if (response.status() != 422 || !response.body().contains("\"field\":\"" + c.field() + "\"")) {
                failures.add(c.body() + " -> " + response);
            }
        }
        assertThat(failures).isEmpty();
        assertThat(api.get("/customers?email=n@valid.test").header("X-Total-Count"))
                .hasValue("0");

        long id =
                createCustomer(manager, "patch@valid.test", "").json().get("id").asLong();
        for (String body : List.of(
                "{\"name\":null}",
                "{\"contact_email\":\"bad\"}",
                "{\"signed_date\":null}",
                "{\"account_manager_id\":" + retired + "}",
                "{\"phone_number\":\"abc\"}",
                "{\"created_at\":\"x\"}",
                "{\"x\":1}")) {
            assertProblem(api.patch("/customers/" + id, body), 422);
        }
    }

    @Test
    void emailIsUniqueAmongLiveCustomers() {
        long manager = employee();
        long first =
                createCustomer(manager, "dup@unique.test", "").json().get("id").asLong();
        var problem = assertProblem(createCustomer(manager, " DUP@Unique.Test ", ""), 409);
        assertThat(problem.get("existing_id").asLong()).isEqualTo(first);

        long second = createCustomer(manager, "other@unique.test", "")
                .json()
                .get("id")
                .asLong();
        var patch = assertProblem(api.patch("/customers/" + second, "{\"contact_email\":\"dup@UNIQUE.test\"}"), 409);
        assertThat(patch.get("existing_id").asLong()).isEqualTo(first);

        // a deleted customer frees the e-mail; restoring it while the e-mail is taken again is a conflict
        assertThat(api.delete("/customers/" + first).status()).isEqualTo(204);
        long third =
                createCustomer(manager, "dup@unique.test", "").json().get("id").asLong();
        var restore = assertProblem(api.post("/customers/" + first + "/restore", ""), 409);
        assertThat(restore.get("existing_id").asLong()).isEqualTo(third);
    }

    @Test
    void tenParallelCreatesOfOneEmailGiveOne201AndNine409() throws Exception {
        long manager = employee();
        List<ApiClient.Response> responses =
                LeadConversionHttpTest.race(10, i -> createCustomer(manager, "race@parallel.test", ""));
        List<ApiClient.Response> created =
                responses.stream().filter(r -> r.status() == 201).toList();
        List<ApiClient.Response> conflicts =
                responses.stream().filter(r -> r.status() == 409).toList();
        assertThat(created).hasSize(1);
        assertThat(conflicts).as(responses.toString()).hasSize(9);
        long id = created.getFirst().json().get("id").asLong();
        Set<Long> existing = conflicts.stream()
                .map(r -> r.json().get("existing_id").asLong())
                .collect(Collectors.toSet());
        assertThat(existing).containsExactly(id);
        assertThat(customerCount("race@parallel.test")).isEqualTo(1);
    }

    @Test
    void softDeleteAndRestore() {
        long id = createCustomer(employee(), "gone@soft.test", "")
                .json()
                .get("id")
                .asLong();
        assertThat(api.delete("/customers/" + id).status()).isEqualTo(204);
        assertProblem(api.get("/customers/" + id), 404);
        assertProblem(api.delete("/customers/" + id), 404);
        assertThat(customerCount("gone@soft.test")).isZero();
        ApiClient.Response restored = api.post("/customers/" + id + "/restore", "");
        assertThat(restored.status()).as(restored.body()).isEqualTo(200);
        assertThat(restored.json().get("contact_email").asString()).isEqualTo("gone@soft.test");
        assertThat(api.get("/customers/" + id).status()).isEqualTo(200);
        assertProblem(api.delete("/customers/987654"), 404);
        assertProblem(api.post("/customers/987654/restore", ""), 404);
    }

    @Test
    void leadIdMustExistBeFreeAndNeverChange() {
        long rep = employee();
        long lead = lead(rep).get("id").asLong();
        long otherLead = lead(rep).get("id").asLong();
        ApiClient.Response first = createCustomer(rep, "lead1@link.test", "\"lead_id\":" + lead);
        assertThat(first.status()).as(first.body()).isEqualTo(201);
        long id = first.json().get("id").asLong();
        var taken = assertProblem(createCustomer(rep, "lead2@link.test", "\"lead_id\":" + lead), 409);
        assertThat(taken.get("existing_id").asLong()).isEqualTo(id);

        assertThat(api.patch("/customers/" + id, "{\"lead_id\":" + lead + "}").status())
                .isEqualTo(200);
        var change = assertProblem(api.patch("/customers/" + id, "{\"lead_id\":" + otherLead + "}"), 422);
        assertThat(change.get("errors").get(0).get("field").asString()).isEqualTo("lead_id");
        assertProblem(api.patch("/customers/" + id, "{\"lead_id\":null}"), 422);

        long unlinked =
                createCustomer(rep, "lead3@link.test", "").json().get("id").asLong();
        ApiClient.Response linked = api.patch("/customers/" + unlinked, "{\"lead_id\":" + otherLead + "}");
        assertThat(linked.status()).as(linked.body()).isEqualTo(200);
        assertThat(linked.json().get("lead_id").asLong()).isEqualTo(otherLead);
        JsonNode leadView = api.get("/leads/" + otherLead).json();
        assertThat(leadView.get("customer_id").asLong()).isEqualTo(unlinked);

        long deletedLead = lead(rep).get("id").asLong();
        api.delete("/leads/" + deletedLead);
        assertProblem(createCustomer(rep, "lead4@link.test", "\"lead_id\":" + deletedLead), 422);
    }

    @Test
    void staleIfMatchIs412() {
        long id = createCustomer(employee(), "etag@cust.test", "")
                .json()
                .get("id")
                .asLong();
        assertThat(api.patch("/customers/" + id, "{\"address\":\"a\"}", "If-Match", "\"1\"")
                        .status())
                .isEqualTo(200);
        assertProblem(api.patch("/customers/" + id, "{\"address\":\"b\"}", "If-Match", "\"1\""), 412);
        assertThat(api.get("/customers/" + id).json().get("address").asString()).isEqualTo("a");
        assertThat(api.get("/customers/" + id).header("ETag")).hasValue("\"2\"");
    }
}

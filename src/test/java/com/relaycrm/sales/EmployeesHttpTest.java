package com.relaycrm.sales;

import static org.assertj.core.api.Assertions.assertThat;

import com.relaycrm.platform.Role;
import com.relaycrm.testsupport.ApiClient;
import org.junit.jupiter.api.Test;

class EmployeesHttpTest extends SalesHttpTestSupport {

    @Test
    void createsReadsListsAndUpdatesAnEmployee() {
        ApiClient.Response created = api.post(
                "/employees",
                "{\"name\":\"  Ada Lovelace  \",\"email\":\"ada@relay.test\",\"role\":\"ACCOUNT_MANAGER\"}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        long id = created.json().get("id").asLong();
        assertThat(created.header("Location")).hasValue("/employees/" + id);
        assertThat(created.json().get("name").asString()).isEqualTo("Ada Lovelace");
        assertThat(created.json().get("active").asBoolean()).isTrue();
        assertThat(created.json().get("role").asString()).isEqualTo("ACCOUNT_MANAGER");
        assertThat(created.json().has("created_at")).isTrue();

        ApiClient.Response fetched = api.get("/employees/" + id);
        assertThat(fetched.json().get("email").asString()).isEqualTo("ada@relay.test");

        ApiClient.Response list = api.get("/employees?role=ACCOUNT_MANAGER");
        assertThat(api.get("/employees/?role=ACCOUNT_MANAGER").header("X-Total-Count"))
                .hasValue("1");
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.header("X-Total-Count")).hasValue("1");
        assertThat(list.json().get(0).get("id").asLong()).isEqualTo(id);

        ApiClient.Response patched = api.patch("/employees/" + id, "{\"active\":false,\"role\":\"SALES_MANAGER\"}");
        assertThat(patched.status()).as(patched.body()).isEqualTo(200);
        assertThat(patched.json().get("active").asBoolean()).isFalse();
        assertThat(patched.json().get("role").asString()).isEqualTo("SALES_MANAGER");
        assertThat(patched.json().get("name").asString()).isEqualTo("Ada Lovelace");
        assertThat(api.get("/employees?active=false&q=ADA@relay").header("X-Total-Count"))
                .hasValue("1");

        ApiClient.Response put = api.put("/employees/" + id, "{\"name\":\"Ada King\"}");
        assertThat(put.json().get("name").asString()).isEqualTo("Ada King");
        assertThat(put.json().get("active").asBoolean()).isFalse();
    }

    @Test
    void emailIsUniqueCaseInsensitively() {
        assertThat(api.post("/employees", "{\"name\":\"Bo\",\"email\":\"bo@relay.test\",\"role\":\"SALES_REP\"}")
                        .status())
                .isEqualTo(201);
        var problem = assertProblem(
                api.post("/employees", "{\"name\":\"Bo Two\",\"email\":\"BO@Relay.Test\",\"role\":\"SALES_REP\"}"),
                409);
        assertThat(problem.get("existing_id").asLong()).isPositive();
    }

    @Test
    void validatesEveryField() {
        var problem = assertProblem(
                api.post(
                        "/employees",
                        "{\"name\":\"\",\"email\":\"a@b@c.com\",\"role\":\"sales_rep\",\"active\":\"yes\",\"id\":4,"
                                + "\"x\":1}"),
                422);
        assertThat(problem.get("errors").toString())
                .contains(
                        "\"field\":\"name\"",
                        "\"field\":\"email\"",
                        "\"field\":\"role\"",
                        "\"field\":\"active\"",
                        "\"field\":\"id\"",
                        "\"field\":\"x\"");
        assertProblem(api.post("/employees", "{\"email\":\"x@relay.test\",\"role\":\"SALES_REP\"}"), 422);
        String longName = "n".repeat(256);
        assertProblem(
                api.post(
                        "/employees",
                        "{\"name\":\"" + longName + "\",\"email\":\"x@relay.test\",\"role\":\"SALES_REP\"}"),
                422);
        long id = employee();
        assertProblem(api.patch("/employees/" + id, "{\"name\":null}"), 422);
        assertProblem(api.patch("/employees/" + id, "{\"email\":\"\"}"), 422);
        assertProblem(api.patch("/employees/" + id, "{\"created_at\":\"2020-01-01T00:00:00Z\"}"), 422);
    }

    @Test
    void anEmployeeWithLeadsCannotBeDeletedButCanBeDeactivated() {
        long busy = employee();
        lead(busy);
        var problem = assertProblem(api.delete("/employees/" + busy), 409);
        assertThat(problem.get("detail").asString()).contains("deactivate");
        assertThat(api.patch("/employees/" + busy, "{\"active\":false}").status())
                .isEqualTo(200);

        long idle = employee();
        assertThat(api.delete("/employees/" + idle).status()).isEqualTo(204);
        assertProblem(api.get("/employees/" + idle), 404);
        assertProblem(api.delete("/employees/" + idle), 404);
    }

    @Test
    void missingAndMalformedIdsAreClientErrors() {
        assertProblem(api.get("/employees/987654"), 404);
        assertProblem(api.get("/employees/abc"), 400);
        assertProblem(api.patch("/employees/987654", "{\"active\":false}"), 404);
        assertProblem(api.get("/employees?limit=0"), 400);
        assertProblem(api.get("/employees?limit=501"), 400);
        assertProblem(api.get("/employees?skip=-1"), 400);
        assertProblem(api.get("/employees?active=maybe"), 400);
        assertProblem(api.get("/employees?role=BOSS"), 400);
    }

    @Test
    void viewersReadButCannotWrite() {
        employee();
        ApiClient viewer = clientFor("vic", Role.VIEWER);
        assertThat(viewer.get("/employees").status()).isEqualTo(200);
        assertProblem(
                viewer.post("/employees", "{\"name\":\"V\",\"email\":\"v@relay.test\",\"role\":\"SALES_REP\"}"), 403);
        ApiClient sales = clientFor("sam", Role.SALES);
        assertThat(sales.post("/employees", "{\"name\":\"S\",\"email\":\"s@relay.test\",\"role\":\"SALES_REP\"}")
                        .status())
                .isEqualTo(201);
        assertProblem(api.anonymous().get("/employees"), 401);
    }
}

package com.relaycrm.platform;

import static org.assertj.core.api.Assertions.assertThat;

import com.relaycrm.testsupport.ApiClient;
import com.relaycrm.testsupport.HttpTestSupport;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PlatformHttpTest extends HttpTestSupport {

    @Test
    void healthIsPublicAndUsesTheSeedShape() {
        ApiClient.Response response = api.anonymous().get("/health");
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().toString()).isEqualTo("{\"status\":\"UP\"}");
        assertThat(api.anonymous().get("/health/").status()).isEqualTo(200);
    }

    @Test
    void openApiDocumentIsPublicAndDescribesBearerAuthAndProblems() {
        ApiClient.Response response = api.anonymous().get("/openapi.json");
        assertThat(response.status()).isEqualTo(200);
        var json = response.json();
        assertThat(json.get("openapi").asString()).startsWith("3.1");
        assertThat(json.at("/components/securitySchemes/bearer/scheme").asString())
                .isEqualTo("bearer");
        assertThat(json.at("/components/schemas/Problem/properties/errors").isMissingNode())
                .as(json.at("/components").toString())
                .isFalse();
        assertThat(json.at("/paths/~1api~1v1~1tokens/post").isMissingNode()).isFalse();
    }

    @Test
    void swaggerUiIsServedAtDocs() {
        ApiClient.Response docs = api.anonymous().get("/docs");
        assertThat(docs.status()).isIn(200, 302);
        if (docs.status() == 302) {
            String location = docs.header("Location").orElseThrow();
            ApiClient.Response page = api.anonymous().get(location.replaceFirst("^https?://[^/]+", ""));
            assertThat(page.status()).isEqualTo(200);
            assertThat(page.body()).containsIgnoringCase("swagger");
        }
    }

    @Test
    void missingTokenIs401Problem() {
        var problem = assertProblem(api.anonymous().get("/api/v1/tokens"), 401);
        assertThat(problem.get("detail").asString()).contains("token");
        assertThat(api.anonymous().get("/api/v1/tokens").header("WWW-Authenticate"))
                .hasValueSatisfying(value -> assertThat(value).startsWith("Bearer"));
    }

    @Test
    void unknownTokenIs401Problem() {
        assertProblem(api.as("rly_not-a-real-token-000000000000000000").get("/api/v1/tokens"), 401);
        assertProblem(api.anonymous().get("/api/v1/tokens", "Authorization", "Basic YWRtaW46YWRtaW4="), 401);
    }

    @Test
    void tokenIsShownOnceListedWithoutSecretAndRevokedAtOnce() {
        ApiClient.Response created = api.post("/api/v1/tokens", "{\"username\":\"viv\",\"roles\":[\"VIEWER\"]}");
        assertThat(created.status()).isEqualTo(201);
        String token = created.json().get("token").asString();
        long id = created.json().get("id").asLong();
        assertThat(token).startsWith("rly_").hasSizeGreaterThanOrEqualTo(4 + 43);
        assertThat(created.header("Location")).hasValue("/api/v1/tokens/" + id);
        assertThat(created.json().get("roles").toString()).isEqualTo("[\"VIEWER\"]");

        ApiClient.Response list = api.get("/api/v1/tokens");
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.body()).doesNotContain(token).doesNotContain("token_hash");
        assertThat(api.get("/api/v1/tokens/" + id).json().get("username").asString())
                .isEqualTo("viv");

        ApiClient viewer = api.as(token);
        assertThat(viewer.get("/no-such-route").status()).isEqualTo(404);
        assertProblem(viewer.get("/api/v1/tokens"), 403);

        assertThat(api.delete("/api/v1/tokens/" + id).status()).isEqualTo(204);
        assertProblem(viewer.get("/no-such-route"), 401);
        assertThat(api.get("/api/v1/tokens/" + id).json().get("revoked_at").isNull())
                .isFalse();
        assertProblem(api.delete("/api/v1/tokens/999999"), 404);
    }

    @Test
    void tokenCreationValidatesEveryField() {
        var problem =
                assertProblem(api.post("/api/v1/tokens", "{\"username\":\"\",\"roles\":[\"ROOT\"],\"x\":1}"), 422);
        assertThat(problem.get("errors").toString())
                .contains("\"field\":\"username\"", "\"field\":\"roles[0]\"", "\"field\":\"x\"");
        assertProblem(api.post("/api/v1/tokens", "{\"username\":\"a\",\"roles\":\"ADMIN\"}"), 422);
        assertProblem(api.post("/api/v1/tokens", "{\"username\":5,\"roles\":[]}"), 422);
        assertProblem(api.post("/api/v1/tokens", "[1,2]"), 422);
    }

    @Test
    void malformedJsonIs400WithoutInternals() {
        var problem = assertProblem(api.post("/api/v1/tokens", "{\"username\": \"x\", "), 400);
        assertThat(problem.get("detail").asString()).startsWith("Malformed JSON");
        assertProblem(api.post("/api/v1/tokens", ""), 400);
        assertProblem(api.post("/api/v1/tokens", "{\"a\":1e99999999999}"), 400);
    }

    @Test
    void jsonWithoutContentTypeOrAsTextPlainIsAccepted() {
        ApiClient.Response none =
                api.send("POST", "/api/v1/tokens", null, "{\"username\":\"plain\",\"roles\":[\"AGENT\"]}");
        assertThat(none.status()).as(none.body()).isEqualTo(201);
        ApiClient.Response text = api.send(
                "POST",
                "/api/v1/tokens",
                "text/plain; charset=UTF-8",
                "{\"username\":\"plain2\",\"roles\":[\"AGENT\"]}");
        assertThat(text.status()).as(text.body()).isEqualTo(201);
    }

    @Test
    void jsonLabelledAsAFormIsReadAsJson() {
        ApiClient.Response curlStyle = api.send(
                "POST",
                "/api/v1/tokens",
                "application/x-www-form-urlencoded",
                "{\"username\":\"curl\",\"roles\":[\"AGENT\"]}");
        assertThat(curlStyle.status()).as(curlStyle.body()).isEqualTo(201);
        assertProblem(
                api.send("POST", "/api/v1/tokens", "application/x-www-form-urlencoded", "username=x&roles=AGENT"), 415);
    }

    @Test
    void unsupportedMediaTypeIs415() {
        assertProblem(api.send("POST", "/api/v1/tokens", "application/xml", "<token/>"), 415);
    }

    @Test
    void wrongMethodIs405WithAllow() {
        ApiClient.Response response = api.send("PATCH", "/api/v1/tokens", "application/json", "{}");
        assertProblem(response, 405);
        assertThat(response.header("Allow").orElse("")).contains("GET").contains("POST");
    }

    @Test
    void unknownPathIs404Problem() {
        assertProblem(api.get("/definitely/not/here"), 404);
    }

    @Test
    void unparsableParameterIs400NamingIt() {
        var problem = assertProblem(api.get("/api/v1/tokens/abc"), 400);
        assertThat(problem.get("errors").get(0).get("field").asString()).isEqualTo("id");
    }

    @Test
    void trailingSlashIsAccepted() {
        assertThat(api.get("/api/v1/tokens/").status()).isEqualTo(200);
    }

    @Test
    void requestIdIsEchoedOrGenerated() {
        assertThat(api.get("/health", "X-Request-Id", "abc-123").header("X-Request-Id"))
                .hasValue("abc-123");
        assertThat(api.get("/health", "X-Request-Id", "bad id\u0001".replace('\u0001', '!'))
                        .header("X-Request-Id"))
                .hasValueSatisfying(id -> assertThat(id).isNotEqualTo("bad id!").hasSize(36));
    }

    @Test
    void actuatorIsForAdminsOnly() {
        ApiClient.Response health = api.get("/actuator/health");
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.json().at("/components/db/status").asString()).isEqualTo("UP");
        assertThat(api.get("/actuator/prometheus").body()).contains("jvm_memory_used_bytes");
        assertProblem(api.anonymous().get("/actuator/health"), 401);
        assertProblem(clientFor("v", Role.VIEWER).get("/actuator/prometheus"), 403);
    }

    @Test
    void oversizedJsonBodyIs413() {
        String big = "{\"username\":\"" + "x".repeat(1_100_000) + "\",\"roles\":[\"AGENT\"]}";
        assertProblem(api.post("/api/v1/tokens", big), 413);
        var chunked = api.sendStream("POST", "/api/v1/tokens", "application/json", big);
        assertProblem(chunked, 413);
    }

    @Test
    void nonUtf8BodyIs400() {
        byte[] latin1 = "{\"username\":\"Jos\u00e9\",\"roles\":[\"AGENT\"]}".getBytes(StandardCharsets.ISO_8859_1);
        ApiClient.Response response = api.sendBytes("POST", "/api/v1/tokens", "application/json", latin1);
        assertThat(response.status()).isBetween(400, 422);
    }
}

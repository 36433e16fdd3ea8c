package com.relaycrm.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import com.relaycrm.platform.Role;
import com.relaycrm.testsupport.ApiClient;
import com.relaycrm.testsupport.HttpTestSupport;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The subscriptions API with the default URL rules (no private addresses): CRUD, secrets, roles, bad input. */
class WebhookSubscriptionsHttpTest extends HttpTestSupport {

    private static final String PUBLIC_URL = "https://93.184.216.34/hooks/relay";

    private JsonNode create(String json) {
        ApiClient.Response response = api.post("/api/v1/webhooks", json);
        assertThat(response.status()).as(response.body()).isEqualTo(201);
        return response.json();
    }

    @Test
    void theSecretIsShownOnceThenOnlyItsLastFourCharacters() {
        JsonNode created = create("""
                {"url": "%s", "events": ["lead.created", "lead.won", "lead.created"], "description": "CRM sync"}""".formatted(PUBLIC_URL));
        long id = created.get("id").asLong();
        String secret = created.get("secret").asString();
        assertThat(secret).startsWith("whsec_");
        assertThat(java.util.Base64.getDecoder().decode(secret.substring(6))).hasSizeGreaterThanOrEqualTo(24);
        assertThat(created.get("secret_last4").asString()).isEqualTo(secret.substring(secret.length() - 4));
        assertThat(created.get("events").toString()).isEqualTo("[\"lead.created\",\"lead.won\"]");
        assertThat(created.get("enabled").asBoolean()).isTrue();
        assertThat(created.get("url").asString()).isEqualTo(PUBLIC_URL);

        ApiClient.Response one = api.get("/api/v1/webhooks/" + id);
        assertThat(one.status()).isEqualTo(200);
        assertThat(one.json().has("secret")).isFalse();
        assertThat(one.body()).doesNotContain(secret.substring(6, 20));
        assertThat(one.json().get("secret_last4").asString()).isEqualTo(secret.substring(secret.length() - 4));
        ApiClient.Response all = api.get("/api/v1/webhooks");
        assertThat(all.body()).doesNotContain(secret.substring(6, 20));
        assertThat(all.json().get("items").valueStream().map(n -> n.get("id").asLong()))
                .contains(id);

        ApiClient.Response rotated = api.post("/api/v1/webhooks/" + id + "/rotate-secret", "");
        assertThat(rotated.status()).as(rotated.body()).isEqualTo(200);
        String next = rotated.json().get("secret").asString();
        assertThat(next).startsWith("whsec_").isNotEqualTo(secret);
        assertThat(rotated.json().get("previous_secret_expires_at").asString()).isNotBlank();
        assertThat(api.get("/api/v1/webhooks/" + id).json().get("secret_last4").asString())
                .isEqualTo(next.substring(next.length() - 4));
    }

    @Test
    void patchChangesOnlyWhatIsSentAndDeleteRemoves() {
        long id = create("{\"url\":\"%s\",\"events\":[\"*\"]}".formatted(PUBLIC_URL))
                .get("id")
                .asLong();
        ApiClient.Response patched =
                api.patch("/api/v1/webhooks/" + id, "{\"events\":[\"message.posted\"],\"enabled\":false}");
        assertThat(patched.status()).as(patched.body()).isEqualTo(200);
        assertThat(patched.json().get("events").toString()).isEqualTo("[\"message.posted\"]");
        assertThat(patched.json().get("enabled").asBoolean()).isFalse();
        assertThat(patched.json().get("url").asString()).isEqualTo(PUBLIC_URL);
        assertProblem(api.post("/api/v1/webhooks/" + id + "/test", ""), 409);

        assertThat(api.delete("/api/v1/webhooks/" + id).status()).isEqualTo(204);
        assertProblem(api.get("/api/v1/webhooks/" + id), 404);
        assertProblem(api.delete("/api/v1/webhooks/" + id), 404);
        assertProblem(api.patch("/api/v1/webhooks/" + id, "{\"enabled\":true}"), 404);
        assertProblem(api.post("/api/v1/webhooks/" + id + "/rotate-secret", ""), 404);
        assertProblem(api.get("/api/v1/webhooks/" + id + "/deliveries"), 404);
    }

    @Test
    void theCatalogueListsEveryEventAndUnknownNamesAreRefusedByName() {
        ApiClient.Response catalogue = api.get("/api/v1/webhooks/events");
        assertThat(catalogue.status()).isEqualTo(200);
        List<String> names = catalogue
                .json()
                .get("events")
                .valueStream()
                .map(e -> e.get("name").asString())
                .toList();
        assertThat(names)
                .contains(
                        "lead.created",
                        "lead.updated",
                        "lead.won",
                        "customer.created",
                        "employee.created",
                        "message.posted",
                        "message.edited",
                        "message.deleted",
                        "thread.created",
                        "visit.created",
                        "visit.updated",
                        "import.finished",
                        "gist.deal_created",
                        "*");

        JsonNode problem = assertProblem(
                api.post(
                        "/api/v1/webhooks",
                        "{\"url\":\"%s\",\"events\":[\"lead.created\",\"lead.exploded\",\"nope\"]}"
                                .formatted(PUBLIC_URL)),
                422);
        assertThat(problem.toString()).contains("lead.exploded", "nope", "events");
    }

    @Test
    void addressesInsideTheNetworkAreRefusedByDefault() {
        List<String> refused = List.of(
                "http://127.0.0.1:8080/hook",
                "http://10.1.2.3/hook",
                "http://172.16.0.1/hook",
                "http://192.168.1.1/hook",
                "http://169.254.169.254/latest/meta-data/",
                "http://localhost:9999/hook",
                "http://[::1]/hook",
                "http://[fd00:ec2::254]/hook",
                "http://0.0.0.0/hook",
                "http://100.64.0.1/hook",
                "http://[::ffff:127.0.0.1]/hook");
        List<String> accepted = new ArrayList<>();
        for (String url : refused) {
            ApiClient.Response response =
                    api.post("/api/v1/webhooks", "{\"url\":\"%s\",\"events\":[\"*\"]}".formatted(url));
            if (response.status() != 422) {
                accepted.add(url + " -> " + response.status());
            } else {
                assertThat(assertProblem(response, 422).toString()).contains("url");
            }
        }
        assertThat(accepted).isEmpty();
        long id = create("{\"url\":\"%s\",\"events\":[\"*\"]}".formatted(PUBLIC_URL))
                .get("id")
                .asLong();
        assertThat(assertProblem(api.patch("/api/v1/webhooks/" + id, "{\"url\":\"http://169.254.169.254/\"}"), 422)
                        .toString())
                .contains("url");
        assertThat(api.get("/api/v1/webhooks/" + id).json().get("url").asString())
                .isEqualTo(PUBLIC_URL);
    }

    @Test
    void badInputIsA4xxNamingTheField() {
        record Case(String body, String field) {}
        List<Case> cases = List.of(
                new Case("{\"events\":[\"*\"]}", "url"),
                new Case("{\"url\":\"%s\"}".formatted(PUBLIC_URL), "events"),
                new Case("{\"url\":\"ftp://93.184.216.34/x\",\"events\":[\"*\"]}", "url"),
                new Case("{\"url\":\"not a url\",\"events\":[\"*\"]}", "url"),
                new Case("{\"url\":\"http://user:pw@93.184.216.34/\",\"events\":[\"*\"]}", "url"),
                new Case("{\"url\":42,\"events\":[\"*\"]}", "url"),
                new Case("{\"url\":\"%s\",\"events\":[]}".formatted(PUBLIC_URL), "events"),
                new Case("{\"url\":\"%s\",\"events\":\"*\"}".formatted(PUBLIC_URL), "events"),
                new Case("{\"url\":\"%s\",\"events\":[1]}".formatted(PUBLIC_URL), "events"),
                new Case("{\"url\":\"%s\",\"events\":[\"*\"],\"enabled\":\"yes\"}".formatted(PUBLIC_URL), "enabled"),
                new Case("{\"url\":\"%s\",\"events\":[\"*\"],\"secret\":\"whsec_x\"}".formatted(PUBLIC_URL), "secret"),
                new Case("{\"url\":\"%s\",\"events\":[\"*\"],\"color\":\"red\"}".formatted(PUBLIC_URL), "color"),
                new Case(
                        "{\"url\":\"%s\",\"events\":[\"*\"],\"description\":\"%s\"}"
                                .formatted(PUBLIC_URL, "x".repeat(501)),
                        "description"));
        for (Case c : cases) {
            JsonNode problem = assertProblem(api.post("/api/v1/webhooks", c.body()), 422);
            assertThat(problem.toString()).as(c.body()).contains(c.field());
        }
        assertProblem(api.post("/api/v1/webhooks", "{\"url\":"), 400);
        assertProblem(api.post("/api/v1/webhooks", "[1,2]"), 422);
        long id = create("{\"url\":\"%s\",\"events\":[\"*\"]}".formatted(PUBLIC_URL))
                .get("id")
                .asLong();
        assertThat(assertProblem(api.patch("/api/v1/webhooks/" + id, "{\"url\":null}"), 422)
                        .toString())
                .contains("url");
        assertThat(assertProblem(api.patch("/api/v1/webhooks/" + id, "{\"events\":null}"), 422)
                        .toString())
                .contains("events");
        assertProblem(api.get("/api/v1/webhooks/abc"), 400);
        assertProblem(api.get("/api/v1/webhooks/99999999999999999999999"), 400);
        assertProblem(api.get("/api/v1/webhooks/" + id + "/deliveries?limit=0"), 400);
        assertProblem(api.get("/api/v1/webhooks/" + id + "/deliveries?limit=x"), 400);
        assertProblem(api.get("/api/v1/webhooks/" + id + "/deliveries?after=-3"), 400);
        assertProblem(api.post("/api/v1/webhooks/" + id + "/deliveries/123456/redeliver", ""), 404);
    }

    @Test
    void onlyAdminsMayTouchWebhooks() {
        long id = create("{\"url\":\"%s\",\"events\":[\"*\"]}".formatted(PUBLIC_URL))
                .get("id")
                .asLong();
        for (Role role : List.of(Role.SALES, Role.VIEWER, Role.AGENT, Role.MESSAGING_SERVICE)) {
            ApiClient client = clientFor("user-" + role.name().toLowerCase(java.util.Locale.ROOT), role);
            assertProblem(client.get("/api/v1/webhooks"), 403);
            assertProblem(client.get("/api/v1/webhooks/events"), 403);
            assertProblem(client.get("/api/v1/webhooks/" + id), 403);
            assertProblem(
                    client.post("/api/v1/webhooks", "{\"url\":\"%s\",\"events\":[\"*\"]}".formatted(PUBLIC_URL)), 403);
            assertProblem(client.post("/api/v1/webhooks/" + id + "/rotate-secret", ""), 403);
            assertProblem(client.delete("/api/v1/webhooks/" + id), 403);
        }
        assertProblem(api.anonymous().get("/api/v1/webhooks"), 401);
        ApiClient admin = clientFor("second-admin", Role.ADMIN);
        assertThat(admin.get("/api/v1/webhooks/" + id).status()).isEqualTo(200);
    }
}

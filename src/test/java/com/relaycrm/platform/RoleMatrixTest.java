package com.relaycrm.platform;

import static org.assertj.core.api.Assertions.assertThat;

import com.relaycrm.testsupport.ApiClient;
import com.relaycrm.testsupport.HttpTestSupport;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * The role matrix over every module's write endpoints: a VIEWER token is refused with a 403 problem, a token with the
 * role the module allows gets past authorisation (anything but 401/403, never 5xx). A sweep over the mapped handler
 * methods makes sure no write endpoint is missing from the table. Messaging refuses non-participants with 403.
 */
class RoleMatrixTest extends HttpTestSupport {

    record Row(String method, String path, Role allowed, String body) {}

    /** Every write endpoint, with the role that may call it. Bodies are minimal: a 4xx past authorisation is fine. */
    private static final List<Row> WRITES = List.of(
            new Row("POST", "/api/v1/tokens", Role.ADMIN, "{}"),
            new Row("DELETE", "/api/v1/tokens/{id}", Role.ADMIN, null),
            new Row("POST", "/leads", Role.SALES, "{}"),
            new Row("PATCH", "/leads/{id}", Role.SALES, "{}"),
            new Row("PUT", "/leads/{id}", Role.SALES, "{}"),
            new Row("POST", "/leads/{id}/convert", Role.SALES, "{}"),
            new Row("DELETE", "/leads/{id}", Role.SALES, null),
            new Row("POST", "/leads/{id}/restore", Role.SALES, "{}"),
            new Row("POST", "/customers", Role.SALES, "{}"),
            new Row("PATCH", "/customers/{id}", Role.SALES, "{}"),
            new Row("PUT", "/customers/{id}", Role.SALES, "{}"),
            new Row("DELETE", "/customers/{id}", Role.SALES, null),
            new Row("POST", "/customers/{id}/restore", Role.SALES, "{}"),
            new Row("POST", "/employees", Role.SALES, "{}"),
            new Row("PATCH", "/employees/{id}", Role.SALES, "{}"),
            new Row("PUT", "/employees/{id}", Role.SALES, "{}"),
            new Row("DELETE", "/employees/{id}", Role.SALES, null),
            new Row("POST", "/api/v1/atendimento", Role.AGENT, "{}"),
            new Row("PUT", "/api/v1/atendimento/{id}", Role.AGENT, "{}"),
            new Row("PATCH", "/api/v1/atendimento/{id}", Role.AGENT, "{}"),
            new Row("DELETE", "/api/v1/atendimento/{id}", Role.AGENT, null),
            new Row("POST", "/api/v1/atendimento/import_csv", Role.AGENT, "not,a,csv"),
            new Row("POST", "/api/v1/holidays", Role.ADMIN, "{}"),
            new Row("DELETE", "/api/v1/holidays/{date}", Role.ADMIN, null),
            new Row("POST", "/thread", Role.AGENT, "{}"),
            new Row("PATCH", "/thread/{threadId}/messages/{messageId}", Role.AGENT, "{}"),
            new Row("DELETE", "/thread/{threadId}/messages/{messageId}", Role.AGENT, null),
            new Row("POST", "/thread/{threadId}/{username}", Role.AGENT, "{}"),
            new Row("POST", "/api/v1/github/watched-users", Role.SALES, "{}"),
            new Row("DELETE", "/api/v1/github/watched-users/{login}", Role.SALES, null),
            new Row("POST", "/api/v1/github/gists/{id}/retry", Role.SALES, "{}"),
            new Row("POST", "/api/v1/github/scan", Role.ADMIN, "{}"),
            new Row("POST", "/api/v1/github/deal-sync", Role.ADMIN, "{}"),
            new Row("POST", "/api/v1/aggregate", Role.SALES, "{}"),
            new Row("POST", "/api/v1/webhooks", Role.ADMIN, "{}"),
            new Row("PATCH", "/api/v1/webhooks/{id}", Role.ADMIN, "{}"),
            new Row("DELETE", "/api/v1/webhooks/{id}", Role.ADMIN, null),
            new Row("POST", "/api/v1/webhooks/{id}/rotate-secret", Role.ADMIN, "{}"),
            new Row("POST", "/api/v1/webhooks/{id}/test", Role.ADMIN, "{}"),
            new Row("POST", "/api/v1/webhooks/{id}/deliveries/{deliveryId}/redeliver", Role.ADMIN, "{}"));

    /** The one write endpoint a VIEWER may call: marking a thread read, as a participant only (checked below). */
    private static final Set<String> VIEWER_WRITABLE = Set.of("POST /thread/{threadId}/{username}/read");

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping mappings;

    @Test
    void viewersAreRefusedEveryWriteAndTheAllowedRoleIsNot() {
        ApiClient viewer = clientFor("matrix-viewer", Role.VIEWER);
        List<String> failures = new ArrayList<>();
        for (Row row : WRITES) {
            String path = concrete(row.path(), "matrix-viewer");
            ApiClient.Response refused = viewer.send(row.method(), path, "application/json", row.body());
            if (refused.status() != 403 || !refused.contentType().startsWith("application/problem+json")) {
                failures.add("VIEWER " + row.method() + " " + path + " -> " + refused);
            }
            String user = "matrix-" + row.allowed().name().toLowerCase(java.util.Locale.ROOT);
            ApiClient allowed = clientFor(user, row.allowed());
            ApiClient.Response passed =
                    allowed.send(row.method(), concrete(row.path(), user), "application/json", row.body());
            if (passed.status() == 401 || passed.status() == 403 || passed.status() == 500) {
                failures.add(row.allowed() + " " + row.method() + " " + path + " -> " + passed);
            }
        }
        assertThat(failures).as("role matrix violations").isEmpty();
    }

    @Test
    void theTableCoversEveryMappedWriteEndpoint() {
        Set<String> mapped = new LinkedHashSet<>();
        for (var info : mappings.getHandlerMethods().keySet()) {
            for (RequestMethod method : info.getMethodsCondition().getMethods()) {
                if (method == RequestMethod.POST
                        || method == RequestMethod.PUT
                        || method == RequestMethod.PATCH
                        || method == RequestMethod.DELETE) {
                    for (String pattern : info.getPatternValues()) {
                        // Web console forms use session sign-in, not bearer tokens; their role rules (the same as
                        // the API's) are checked by the console's own tests (PipelineHttpTest, InboxHttpTest).
                        if (!pattern.startsWith("/console/")) {
                            mapped.add(method + " " + pattern);
                        }
                    }
                }
            }
        }
        Set<String> listed = new LinkedHashSet<>(VIEWER_WRITABLE);
        WRITES.forEach(row -> listed.add(row.method() + " " + row.path()));
        assertThat(mapped).as("write endpoints").hasSizeGreaterThan(30);
        assertThat(listed).containsExactlyInAnyOrderElementsOf(mapped);
    }

    @Test
    void messagingRefusesNonParticipants() {
        ApiClient alice = clientFor("rm-alice", Role.AGENT);
        ApiClient bob = clientFor("rm-bob", Role.SALES);
        ApiClient carol = clientFor("rm-carol", Role.AGENT);
        ApiClient viewer = clientFor("rm-viewer", Role.VIEWER);
        ApiClient.Response created = alice.post("/thread", "{\"users\":[\"rm-alice\",\"rm-bob\"]}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String thread = created.json().get("thread_id").asString();
        assertThat(alice.post("/thread/" + thread + "/rm-alice", "{\"message\":\"hello\"}")
                        .status())
                .isEqualTo(204);
        ApiClient.Response page = bob.get("/thread/" + thread);
        assertThat(page.status()).as(page.body()).isEqualTo(200);
        String messageId = page.json().get("messages").get(0).get("id").asString();

        // A non-participant can neither read, post, mark read, nor open a thread for others.
        assertProblem(carol.get("/thread/" + thread), 403);
        assertProblem(carol.get("/thread/" + thread + "/participants"), 403);
        assertProblem(carol.post("/thread/" + thread + "/rm-carol", "{\"message\":\"let me in\"}"), 403);
        assertProblem(carol.post("/thread/" + thread + "/rm-carol/read", "{\"up_to_seq\":1}"), 403);
        assertProblem(carol.patch("/thread/" + thread + "/messages/" + messageId, "{\"message\":\"x\"}"), 403);
        assertProblem(carol.delete("/thread/" + thread + "/messages/" + messageId), 403);
        assertProblem(viewer.get("/thread/" + thread), 403);
        assertProblem(viewer.post("/thread/" + thread + "/rm-viewer/read", "{\"up_to_seq\":1}"), 403);
        // Acting as someone else is refused too, even for a participant.
        assertProblem(bob.post("/thread/" + thread + "/rm-alice", "{\"message\":\"as alice\"}"), 403);
        assertProblem(carol.post("/thread", "{\"users\":[\"rm-alice\",\"rm-bob\"]}"), 403);
        // A participant who is not the author cannot edit the message.
        assertProblem(bob.patch("/thread/" + thread + "/messages/" + messageId, "{\"message\":\"x\"}"), 403);

        // Nothing the refused callers sent reached the thread.
        ApiClient.Response after = alice.get("/thread/" + thread);
        assertThat(after.json().get("messages")).hasSize(1);
        assertThat(after.json().get("messages").get(0).get("message").asString())
                .isEqualTo("hello");
        assertThat(bob.post("/thread/" + thread + "/rm-bob/read", "{\"up_to_seq\":1}")
                        .status())
                .isEqualTo(200);
    }

    private static String concrete(String pattern, String username) {
        return pattern.replace("{id}", "999999")
                .replace("{date}", "2030-01-01")
                .replace("{threadId}", "00000000-0000-0000-0000-000000000001")
                .replace("{messageId}", "1")
                .replace("{deliveryId}", "1")
                .replace("{username}", username)
                .replace("{login}", "octocat");
    }
}

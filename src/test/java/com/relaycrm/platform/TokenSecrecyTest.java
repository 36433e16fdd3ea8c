package com.relaycrm.platform;

import static org.assertj.core.api.Assertions.assertThat;

import com.relaycrm.testsupport.ApiClient;
import com.relaycrm.testsupport.FreshDatabaseCustomizerFactory;
import com.relaycrm.testsupport.HttpTestSupport;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.context.TestPropertySource;

/**
 * Token secrets never reach the logs or any response but the one that issues them: the application's log output
 * (Relay's own loggers at DEBUG, the libraries at their configured levels) is captured across issuing, using, listing,
 * revoking, a 401 with a wrong, truncated or revoked token and several 4xx error paths (secrets sent in a body, a query
 * string and a Basic header), and searched for every secret involved. Spring MVC's and Spring Security's own DEBUG
 * logging prints request bodies and query strings, so a client that puts a token there would see it logged if those
 * libraries were set to DEBUG; they are not by default.
 */
@ExtendWith(OutputCaptureExtension.class)
@TestPropertySource(properties = "logging.level.com.relaycrm=DEBUG")
class TokenSecrecyTest extends HttpTestSupport {

    @Test
    void tokenSecretsAppearNeitherInLogsNorInResponsesAfterIssue(CapturedOutput output) {
        List<ApiClient.Response> laterResponses = new ArrayList<>();

        ApiClient.Response issued =
                api.post("/api/v1/tokens", "{\"username\":\"secrecy-alice\",\"roles\":[\"SALES\",\"VIEWER\"]}");
        assertThat(issued.status()).as(issued.body()).isEqualTo(201);
        String token = issued.json().get("token").asString();
        long id = issued.json().get("id").asLong();
        assertThat(token).startsWith("rly_").hasSizeGreaterThan(30);
        ApiClient alice = api.as(token);

        // Use: authenticated reads succeed.
        ApiClient.Response usage = alice.get("/api/v1/tokens/me/usage");
        assertThat(usage.status()).as(usage.body()).isEqualTo(200);
        laterResponses.add(usage);
        ApiClient.Response leads = alice.get("/leads");
        assertThat(leads.status()).as(leads.body()).isEqualTo(200);
        laterResponses.add(leads);
        // The admin views: the list and the single token never carry the secret.
        ApiClient.Response list = api.get("/api/v1/tokens");
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.body()).contains("secrecy-alice");
        laterResponses.add(list);
        ApiClient.Response one = api.get("/api/v1/tokens/" + id);
        assertThat(one.status()).isEqualTo(200);
        laterResponses.add(one);

        // 4xx error paths that carry the secret in the request (never 5xx).
        ApiClient.Response wrongRole = alice.post("/api/v1/tokens", "{\"username\":\"x\",\"roles\":[\"ADMIN\"]}");
        assertProblem(wrongRole, 403);
        laterResponses.add(wrongRole);
        ApiClient.Response secretAsRole =
                api.post("/api/v1/tokens", "{\"username\":\"x\",\"roles\":[\"" + token + "\"]}");
        assertProblem(secretAsRole, 422);
        laterResponses.add(secretAsRole);
        ApiClient.Response malformed = api.send("POST", "/api/v1/tokens", "application/json", "{\"token\":\"" + token);
        assertProblem(malformed, 400);
        laterResponses.add(malformed);
        ApiClient.Response secretInQuery = alice.get("/leads?access_token=" + token + "&page=x");
        assertThat(secretInQuery.status()).isBetween(200, 499);
        laterResponses.add(secretInQuery);

        // 401 with a wrong token (a near miss of the real one) and with a malformed scheme.
        ApiClient.Response nearMiss = api.as(token + "x").get("/leads");
        assertProblem(nearMiss, 401);
        laterResponses.add(nearMiss);
        ApiClient.Response truncated =
                api.as(token.substring(0, token.length() - 1)).get("/leads");
        assertProblem(truncated, 401);
        laterResponses.add(truncated);
        ApiClient.Response basic = api.anonymous().get("/leads", "Authorization", "Basic " + token);
        assertProblem(basic, 401);
        laterResponses.add(basic);

        // Revocation, then use of the revoked token.
        ApiClient.Response revoked = api.delete("/api/v1/tokens/" + id);
        assertThat(revoked.status()).isEqualTo(204);
        laterResponses.add(revoked);
        ApiClient.Response afterRevoke = alice.get("/leads");
        assertProblem(afterRevoke, 401);
        laterResponses.add(afterRevoke);

        List<String> secrets = List.of(token, FreshDatabaseCustomizerFactory.ADMIN_TOKEN);
        for (ApiClient.Response response : laterResponses) {
            for (String secret : secrets) {
                assertThat(response.body()).as("response %s", response).doesNotContain(fragments(secret));
                response.headers()
                        .map()
                        .forEach((name, values) -> assertThat(String.join(",", values))
                                .as("header %s", name)
                                .doesNotContain(fragments(secret)));
            }
        }

        String logs = output.getAll();
        // The capture really holds the application's request log for the requests above.
        assertThat(logs).contains("POST /api/v1/tokens 201", "GET /leads 401", "DELETE /api/v1/tokens/" + id);
        for (String secret : secrets) {
            assertThat(logs).as("captured log output").doesNotContain(fragments(secret));
        }
    }

    /** The whole secret and its random part, plus two 16-character slices of that part. */
    private static String[] fragments(String secret) {
        String random = secret.startsWith("rly_") ? secret.substring(4) : secret;
        return new String[] {secret, random, random.substring(0, 16), random.substring(random.length() - 16)};
    }
}

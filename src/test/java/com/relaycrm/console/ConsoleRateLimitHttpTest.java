package com.relaycrm.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.relaycrm.platform.Role;
import com.relaycrm.platform.security.ApiTokens;
import com.relaycrm.testsupport.ApiClient;
import com.relaycrm.testsupport.ConsoleClient;
import com.relaycrm.testsupport.HttpTestSupport;
import java.util.Set;
import org.jsoup.Jsoup;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Console requests draw on the API's per-token budget: one bucket per token, whichever way it is spent. */
@TestPropertySource(
        properties = {"relay.rate-limit.groups.default.capacity=8", "relay.rate-limit.groups.default.period=PT1H"})
class ConsoleRateLimitHttpTest extends HttpTestSupport {

    @Autowired
    ApiTokens tokens;

    // Tokens come straight from the token service: issuing them over HTTP would spend the admin token's small budget.
    private String issue(String username) {
        return tokens.issue(username, Set.of(Role.SALES), "test").token();
    }

    private static long remaining(ConsoleClient.Page page) {
        return Long.parseLong(page.header("RateLimit-Remaining").orElseThrow());
    }

    @Test
    void aTokensConsoleAndApiRequestsShareOneBudget() {
        String token = issue("alice");
        ConsoleClient browser = new ConsoleClient(port);
        // signing in is charged to the address (no token yet): two requests of its eight
        assertThat(browser.signIn(token).status()).isEqualTo(302);

        ConsoleClient.Page first = browser.get("/console");
        assertThat(first.status()).isEqualTo(200);
        assertThat(first.header("RateLimit-Limit")).hasValue("8");
        assertThat(remaining(first)).isEqualTo(7);
        ApiClient.Response viaApi = api.as(token).get("/health");
        assertThat(viaApi.status()).isEqualTo(200);
        assertThat(viaApi.header("RateLimit-Remaining")).hasValue("6");
        for (long left = 5; left >= 0; left--) {
            ConsoleClient.Page page = browser.get("/console/inbox");
            assertThat(page.status()).isEqualTo(200);
            assertThat(remaining(page)).isEqualTo(left);
        }

        ConsoleClient.Page refused = browser.get("/console/pipeline");
        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.header("Content-Type").orElseThrow()).startsWith("text/html");
        long retryAfter = Long.parseLong(refused.header("Retry-After").orElseThrow());
        assertThat(retryAfter).isBetween(1L, 3600L);
        assertThat(refused.header("RateLimit-Remaining")).hasValue("0");
        var page = Jsoup.parse(refused.body());
        assertThat(page.selectFirst("h1").text()).isEqualTo("Too many requests");
        assertThat(page.selectFirst(".problem").text())
                .isEqualTo("Your token's budget of 8 requests for 'default' is used up (the console and the API share"
                        + " it). Try again in " + retryAfter + " s.");
        assertThat(refused.body()).doesNotContain("Exception", "at com.");

        ConsoleClient.Page htmx = browser.get("/console/pipeline", "HX-Request", "true");
        assertThat(htmx.status()).isEqualTo(429);
        assertThat(Jsoup.parseBodyFragment(htmx.body()).selectFirst("p.problem").text())
                .startsWith("Your token's budget of 8 requests");

        ConsoleClient.Page script = browser.get("/console/inbox", "Accept", "application/json");
        assertThat(script.status()).isEqualTo(429);
        assertThat(script.header("Content-Type").orElseThrow()).startsWith("application/problem+json");
        JsonNode problem = JsonMapper.builder().build().readTree(script.body());
        assertThat(problem.get("status").asInt()).isEqualTo(429);
        assertThat(problem.get("type").asString()).isEqualTo("https://relaycrm.com/problems/rate-limited");
        assertThat(problem.get("title").asString()).isEqualTo("Too many requests");

        assertProblem(api.as(token).get("/health"), 429);
        assertThat(browser.get("/console/assets/console.css").status())
                .as("static assets are not charged")
                .isEqualTo(200);

        ConsoleClient other = new ConsoleClient(port);
        assertThat(other.signIn(issue("bob")).status()).isEqualTo(302);
        ConsoleClient.Page bobs = other.get("/console");
        assertThat(bobs.status()).as("another token has its own budget").isEqualTo(200);
        assertThat(remaining(bobs)).isEqualTo(7);
    }

    @Test
    void withoutASessionTheConsoleIsChargedToTheAddress() {
        ConsoleClient anonymous = new ConsoleClient(port);
        int allowed = 0;
        ConsoleClient.Page page;
        while ((page = anonymous.get("/console/signin")).status() == 200) {
            allowed++;
            assertThat(allowed).isLessThanOrEqualTo(8);
        }
        assertThat(page.status()).isEqualTo(429);
        assertThat(page.header("Retry-After")).isPresent();
        assertThat(Jsoup.parse(page.body()).selectFirst(".problem").text())
                .startsWith("Too many requests from your address (8 for 'default').");
        ConsoleClient.Page guess = anonymous.postFormWithoutCsrf("/console/signin", java.util.Map.of("token", "x"));
        assertThat(guess.status())
                .as("token guessing through the sign-in form is limited too")
                .isEqualTo(429);
    }
}

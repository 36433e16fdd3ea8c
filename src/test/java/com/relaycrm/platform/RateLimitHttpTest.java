package com.relaycrm.platform;

import static org.assertj.core.api.Assertions.assertThat;

import com.relaycrm.testsupport.ApiClient;
import com.relaycrm.testsupport.HttpTestSupport;
import com.relaycrm.testsupport.SecondInstance;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;
import org.springframework.test.context.TestPropertySource;

@TestPropertySource(
        properties = {"relay.rate-limit.groups.default.capacity=6", "relay.rate-limit.groups.default.period=PT1H"})
class RateLimitHttpTest extends HttpTestSupport {

    @Autowired
    Environment environment;

    @Test
    void budgetIsReportedAndEnforcedPerToken() {
        ApiClient alice = clientFor("alice", Role.VIEWER);
        ApiClient bob = clientFor("bob", Role.VIEWER);
        for (int i = 1; i <= 6; i++) {
            ApiClient.Response ok = alice.get("/health");
            assertThat(ok.status()).isEqualTo(200);
            assertThat(ok.header("RateLimit-Limit")).hasValue("6");
            assertThat(ok.header("RateLimit-Remaining")).hasValue(Integer.toString(6 - i));
            assertThat(Long.parseLong(ok.header("RateLimit-Reset").orElseThrow()))
                    .isPositive();
        }
        ApiClient.Response limited = alice.get("/health");
        var problem = assertProblem(limited, 429);
        assertThat(problem.get("detail").asString()).contains("Rate limit");
        assertThat(Long.parseLong(limited.header("Retry-After").orElseThrow())).isBetween(1L, 3600L);
        assertThat(limited.header("RateLimit-Remaining")).hasValue("0");

        assertThat(bob.get("/health").status())
                .as("another token has its own budget")
                .isEqualTo(200);
    }

    @Test
    void usageShowsTheCallersBudget() {
        ApiClient carol = clientFor("carol", Role.AGENT);
        carol.get("/health");
        ApiClient.Response usage = carol.get("/api/v1/tokens/me/usage");
        assertThat(usage.status()).isEqualTo(200);
        var json = usage.json();
        assertThat(json.get("username").asString()).isEqualTo("carol");
        var defaultGroup = json.get("groups")
                .valueStream()
                .filter(g -> g.get("group").asString().equals("default"))
                .findFirst()
                .orElseThrow();
        assertThat(defaultGroup.get("limit").asLong()).isEqualTo(6);
        assertThat(defaultGroup.get("remaining").asLong()).isEqualTo(4);
    }

    @Test
    void instancesShareOneBudgetThroughPostgres() {
        ApiClient dave = clientFor("dave", Role.VIEWER);
        try (SecondInstance second = SecondInstance.sharing(
                environment,
                Map.of(
                        "relay.rate-limit.groups.default.capacity", "6",
                        "relay.rate-limit.groups.default.period", "PT1H"))) {
            ApiClient daveOnSecond = second.client(dave.token());
            for (int i = 0; i < 3; i++) {
                assertThat(dave.get("/health").status()).isEqualTo(200);
                assertThat(daveOnSecond.get("/health").status()).isEqualTo(200);
            }
            assertProblem(dave.get("/health"), 429);
            assertProblem(daveOnSecond.get("/health"), 429);
        }
    }
}

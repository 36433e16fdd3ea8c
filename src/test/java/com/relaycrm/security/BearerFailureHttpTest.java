package com.relaycrm.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.relaycrm.testsupport.ApiClient;
import com.relaycrm.testsupport.HttpTestSupport;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

/** Guessing tokens: failures are charged to the caller's address and counted. */
@TestPropertySource(
        properties = {
            "relay.rate-limit.groups.auth-failure.capacity=5",
            "relay.rate-limit.groups.auth-failure.period=PT1H"
        })
class BearerFailureHttpTest extends HttpTestSupport {

    @Autowired
    MeterRegistry meters;

    @Test
    void failedAuthenticationsAreRateLimitedPerAddressAndCounted() {
        ApiClient viewer = clientFor("victor", com.relaycrm.platform.Role.VIEWER);
        double before = failures("unknown_token");
        for (int i = 0; i < 4; i++) {
            assertProblem(api.as("rly_guess-" + i).get("/leads"), 401);
        }
        assertProblem(api.anonymous().get("/leads", "Authorization", "Basic Zm9vOmJhcg=="), 401);
        assertThat(failures("unknown_token") - before).isEqualTo(4);
        assertThat(failures("malformed_header")).isEqualTo(1);

        ApiClient.Response limited = api.as("rly_guess-5").get("/leads");
        assertProblem(limited, 429);
        assertThat(Long.parseLong(limited.header("Retry-After").orElseThrow())).isBetween(1L, 3600L);
        // From now on the address cannot tell a right guess from a wrong one.
        assertProblem(viewer.get("/leads"), 429);
        assertThat(failures("rate_limited")).isGreaterThanOrEqualTo(1);
        // Requests without a token are not affected by the failure budget.
        assertThat(api.anonymous().get("/health").status()).isEqualTo(200);
    }

    private double failures(String reason) {
        var counter = meters.find("relay.auth.failures").tag("reason", reason).counter();
        return counter == null ? 0 : counter.count();
    }
}

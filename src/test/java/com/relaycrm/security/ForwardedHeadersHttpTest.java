package com.relaycrm.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.relaycrm.testsupport.ApiClient;
import com.relaycrm.testsupport.HttpTestSupport;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/** With no trusted proxy configured (the default), forwarded headers from a client change nothing. */
@TestPropertySource(
        properties = {"relay.rate-limit.groups.default.capacity=5", "relay.rate-limit.groups.default.period=PT1H"})
class ForwardedHeadersHttpTest extends HttpTestSupport {

    @Test
    void rotatingXForwardedForDoesNotEscapeTheAddressBudget() {
        ApiClient anonymous = api.anonymous();
        ApiClient.Response redirect = anonymous.get(
                "/", "X-Forwarded-Host", "evil.example", "X-Forwarded-Proto", "https", "Accept", "text/html");
        assertThat(redirect.status()).isEqualTo(302);
        assertThat(redirect.header("Location")).hasValue("/console/signin");
        for (int i = 0; i < 4; i++) {
            assertThat(anonymous
                            .get("/health", "X-Forwarded-For", "198.51.100." + i)
                            .status())
                    .isEqualTo(200);
        }
        ApiClient.Response limited = anonymous.get("/health", "X-Forwarded-For", "198.51.100.77");
        assertThat(limited.status())
                .as("a new forwarded address is still the same caller")
                .isEqualTo(429);
    }

    @Test
    void forwardedHostReachesNoLinkAndForwardedProtoNoCookie() {
        assertThat(api.get("/getGists", "X-Forwarded-Proto", "https")
                        .header("Set-Cookie")
                        .orElseThrow())
                .as("the connection is plain HTTP whatever the header says")
                .doesNotContain("Secure");

        for (int id = 700001; id <= 700003; id++) {
            assertThat(api.post("/api/v1/atendimento", """
                            {"id_atendimento": %d, "id_cliente": 1, "angel": "Ana", "polo": "SP - FORWARD",
                             "data_limite": "2021-07-10"}""".formatted(id)).status())
                    .isEqualTo(201);
        }
        var page = api.get(
                        "/api/v1/atendimento?polo=SP%20-%20FORWARD&per_page=1&page=2",
                        "X-Forwarded-Host", "evil.example", "X-Forwarded-Proto", "https")
                .json();
        assertThat(page.get("next").asString())
                .isEqualTo("/api/v1/atendimento?polo=SP%20-%20FORWARD&per_page=1&page=3");
        assertThat(page.get("prev").asString())
                .isEqualTo("/api/v1/atendimento?polo=SP%20-%20FORWARD&per_page=1&page=1");
    }
}

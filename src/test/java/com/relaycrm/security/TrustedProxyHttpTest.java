package com.relaycrm.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.relaycrm.testsupport.ApiClient;
import com.relaycrm.testsupport.HttpTestSupport;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/** Behind a configured proxy (here the test client itself), its forwarded headers name the client. */
@TestPropertySource(
        properties = {
            "relay.trusted-proxies=127.0.0.1, ::1",
            "relay.public-base-url=https://crm.example.com/",
            "relay.rate-limit.groups.default.capacity=4",
            "relay.rate-limit.groups.default.period=PT1H"
        })
class TrustedProxyHttpTest extends HttpTestSupport {

    @Test
    void aTrustedProxysForwardedForIsTheCallersAddress() {
        ApiClient anonymous = api.anonymous();
        for (int i = 0; i < 4; i++) {
            assertThat(anonymous
                            .get("/health", "X-Forwarded-For", "203.0.113.1")
                            .status())
                    .isEqualTo(200);
        }
        assertThat(anonymous.get("/health", "X-Forwarded-For", "203.0.113.1").status())
                .isEqualTo(429);
        assertThat(anonymous.get("/health", "X-Forwarded-For", "203.0.113.2").status())
                .as("another client behind the proxy has its own budget")
                .isEqualTo(200);
        // A client cannot pick its address by prepending one: the proxy appended the real one last.
        assertThat(anonymous
                        .get("/health", "X-Forwarded-For", "192.0.2.9, 203.0.113.1")
                        .status())
                .isEqualTo(429);
    }

    @Test
    void linksUseThePublicBaseUrlNotTheForwardedHost() {
        for (int id = 710001; id <= 710002; id++) {
            assertThat(api.post("/api/v1/atendimento", """
                            {"id_atendimento": %d, "id_cliente": 1, "angel": "Ana", "polo": "SP - BASE",
                             "data_limite": "2021-07-10"}""".formatted(id)).status())
                    .isEqualTo(201);
        }
        var page = api.get("/api/v1/atendimento?polo=SP%20-%20BASE&per_page=1", "X-Forwarded-Host", "evil.example")
                .json();
        assertThat(page.get("next").asString())
                .isEqualTo("https://crm.example.com/api/v1/atendimento?polo=SP%20-%20BASE&per_page=1&page=2");
    }
}

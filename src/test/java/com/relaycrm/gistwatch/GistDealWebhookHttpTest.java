package com.relaycrm.gistwatch;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.relaycrm.testsupport.ApiClient;
import com.relaycrm.testsupport.HttpTestSupport;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/** A gist that gets its Pipedrive deal is announced once as {@code gist.deal_created}, with the deal's id. */
class GistDealWebhookHttpTest extends HttpTestSupport {

    static final WireMockServer github = Fakes.start();
    static final WireMockServer pipedrive = Fakes.start();

    @Autowired
    GistWatchApi gistWatch;

    @DynamicPropertySource
    static void upstreams(DynamicPropertyRegistry registry) {
        registry.add("github.api-url", github::baseUrl);
        registry.add("pipedrive.api-url", pipedrive::baseUrl);
        registry.add("pipetest.queried-users", () -> "");
        registry.add("pipetest.piepedrive-api-key", () -> "test-key-1");
        registry.add("pipetest.piepedrive-company-name", () -> "acme");
        registry.add("relay.gistwatch.first-scan-delay", () -> "PT1H");
        registry.add("relay.gistwatch.deal-sync-interval", () -> "PT1H");
        registry.add("relay.webhooks.allow-private", () -> "true");
        registry.add("relay.webhooks.poll-interval", () -> "PT0.1S");
        registry.add("relay.jobs.polling-interval", () -> "PT0.1S");
    }

    @AfterAll
    static void stopFakes() {
        github.stop();
        pipedrive.stop();
    }

    @Test
    void eachSyncedGistIsAnnouncedOnce() throws Exception {
        List<JsonNode> received = new CopyOnWriteArrayList<>();
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 10);
        receiver.createContext("/", exchange -> {
            received.add(ApiClient.JSON.readTree(
                    new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        receiver.start();
        try {
            ApiClient.Response subscribed = api.post(
                    "/api/v1/webhooks",
                    "{\"url\":\"http://127.0.0.1:%d/gists\",\"events\":[\"gist.deal_created\"]}"
                            .formatted(receiver.getAddress().getPort()));
            assertThat(subscribed.status()).as(subscribed.body()).isEqualTo(201);
            gistWatch.watch("Octo-Cat");
            Fakes.stubGists(github, "Octo-Cat", List.of("g001", "g002"), "\"e1\"");
            assertThat(api.post("/api/v1/github/scan?login=Octo-Cat", "").status())
                    .isEqualTo(200);
            assertThat(received).isEmpty(); // a scanned gist is not a deal yet

            Fakes.stubPipedriveEmpty(pipedrive, 77);
            assertThat(api.post("/api/v1/github/deal-sync", "").status()).isEqualTo(200);
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (received.size() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(api.post("/api/v1/github/deal-sync", "").status()).isEqualTo(200);
            Thread.sleep(500);
            assertThat(received).hasSize(2);
            Map<String, Long> deals = gistWatch.recentGists(10).stream()
                    .collect(Collectors.toMap(GistWatchApi.Gist::id, g -> g.dealId() == null ? -1L : g.dealId()));
            for (JsonNode event : received) {
                assertThat(event.get("type").asString()).isEqualTo("gist.deal_created");
                JsonNode data = event.get("data");
                assertThat(data.get("login").asString()).isEqualTo("Octo-Cat");
                assertThat(data.get("deal_id").asLong())
                        .isEqualTo(deals.get(data.get("gist_id").asString()))
                        .isPositive();
            }
            assertThat(received.stream().map(e -> e.get("data").get("gist_id").asString()))
                    .containsExactlyInAnyOrder("g001", "g002");
        } finally {
            receiver.stop(0);
        }
    }
}

package com.relaycrm.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.relaycrm.testsupport.ConsoleClient;
import com.relaycrm.testsupport.HttpTestSupport;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

@TestPropertySource(
        properties = {
            "relay.webhooks.allow-private=true",
            "relay.webhooks.poll-interval=PT0.1S",
            "relay.jobs.polling-interval=PT0.1S"
        })
class WebhookPagesHttpTest extends HttpTestSupport {

    private ConsoleClient signedIn(String role) {
        ConsoleClient browser = new ConsoleClient(port);
        ConsoleClient.Page page = browser.signIn(new ConsoleFixtures(api).token(ConsoleFixtures.unique("u"), role));
        assertThat(page.status()).as(page.body()).isEqualTo(302);
        return browser;
    }

    @Test
    void anAdminCreatesASubscriptionSeesItsSecretOnceAndFollowsItsDeliveries() throws Exception {
        List<String> received = new CopyOnWriteArrayList<>();
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 10);
        receiver.createContext("/", exchange -> {
            received.add(new String(exchange.getRequestBody().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        receiver.start();
        try {
            ConsoleClient admin = signedIn("ADMIN");
            Document list = Jsoup.parse(admin.get("/console/webhooks").body());
            assertThat(list.select("nav a[href=/console/webhooks]")).hasSize(1);
            assertThat(list.select("input[name=events]").eachAttr("value")).contains("lead.created", "*");

            ConsoleClient.Page refused =
                    admin.postForm("/console/webhooks", Map.of("url", "ftp://example.com/x", "events", "lead.nope"));
            assertThat(refused.status()).isEqualTo(422);
            assertThat(Jsoup.parse(refused.body())
                            .select("[data-testid=errors] li")
                            .eachText())
                    .anySatisfy(t -> assertThat(t).startsWith("url:"))
                    .anySatisfy(t -> assertThat(t).contains("lead.nope"));

            String url = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
            ConsoleClient.Page created = admin.postForm(
                    "/console/webhooks", Map.of("url", url, "events", "*", "description", "from console"));
            assertThat(created.status()).as(created.body()).isEqualTo(201);
            Document page = Jsoup.parse(created.body());
            String secret = page.selectFirst("[data-testid=secret]").text();
            assertThat(secret).startsWith("whsec_");
            String id = page.selectFirst("table[data-testid=subscriptions] tbody tr")
                    .attr("data-id");
            assertThat(page.selectFirst("table[data-testid=subscriptions]").text())
                    .contains(url, "..." + secret.substring(secret.length() - 4))
                    .doesNotContain(secret);
            Document again = Jsoup.parse(admin.get("/console/webhooks").body());
            assertThat(again.select("[data-testid=secret]")).isEmpty();
            assertThat(again.body().text()).doesNotContain(secret);

            ConsoleClient.Page tested = admin.postForm("/console/webhooks/" + id + "/test", Map.of());
            assertThat(tested.status()).isEqualTo(302);
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (received.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(received).hasSize(1);
            assertThat(received.getFirst()).contains("\"type\":\"ping\"");
            Document deliveries =
                    Jsoup.parse(admin.get("/console/webhooks/" + id).body());
            assertThat(deliveries.select("table[data-testid=deliveries] tbody tr"))
                    .hasSize(1);
            String deliveryId = deliveries
                    .selectFirst("table[data-testid=deliveries] tbody tr")
                    .attr("data-id");
            ConsoleClient.Page redelivered =
                    admin.postForm("/console/webhooks/" + id + "/deliveries/" + deliveryId + "/redeliver", Map.of());
            assertThat(redelivered.status()).isEqualTo(302);
            while (received.size() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(received).hasSize(2);
            assertThat(received.get(1)).isEqualTo(received.getFirst());
            assertThat(Jsoup.parse(admin.get("/console/webhooks/" + id).body())
                            .select("table[data-testid=deliveries] tbody tr"))
                    .hasSize(2);
            assertThat(admin.get("/console/webhooks/999999").status()).isEqualTo(404);
        } finally {
            receiver.stop(0);
        }
    }

    @Test
    void onlyAdminsSeeWebhooks() {
        ConsoleClient sales = signedIn("SALES");
        assertThat(sales.get("/console/webhooks").status()).isEqualTo(403);
        assertThat(Jsoup.parse(sales.get("/console/pipeline").body()).select("nav a[href=/console/webhooks]"))
                .isEmpty();
        assertThat(sales.postForm("/console/webhooks", Map.of("url", "http://127.0.0.1/x", "events", "*"))
                        .status())
                .isEqualTo(403);
    }
}

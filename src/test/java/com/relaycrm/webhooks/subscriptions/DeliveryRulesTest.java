package com.relaycrm.webhooks.subscriptions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The rules a delivery follows, without the application: signing, backoff, address checks at send time. */
class DeliveryRulesTest {

    private static WebhooksProperties properties(boolean allowPrivate, Duration initial, double multiplier) {
        return new WebhooksProperties(
                allowPrivate,
                Duration.ofSeconds(2),
                initial,
                multiplier,
                Duration.ofHours(10),
                8,
                Duration.ofHours(24),
                Duration.ofHours(24),
                Duration.ofSeconds(1),
                Duration.ofMinutes(1),
                16,
                100,
                Duration.ofMinutes(2),
                Duration.ofSeconds(3),
                Duration.ofMillis(100),
                Duration.ofDays(30));
    }

    @Test
    void signaturesMatchTheStandardWebhooksReferenceVector() {
        // the example of the Standard Webhooks specification's reference libraries
        String reference = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
        String expected = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";
        byte[] body = "{\"test\": 2432232314}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertThat(new Signatures.Signer(List.of(reference)).sign("msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, body))
                .isEqualTo(expected);
        String secret = Signatures.newSecret();
        // one keyed signer serves a whole batch, in parallel, with a rotated secret's two keys: each signature starts
        // from the keyed state, not from whatever another message left in it
        Signatures.Signer signer = new Signatures.Signer(List.of(reference, secret));
        List<String> signed = java.util.stream.IntStream.range(0, 200)
                .parallel()
                .mapToObj(i -> i % 2 == 0
                        ? signer.sign("msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, body)
                        : signer.sign("msg_other", i, body))
                .toList();
        for (int i = 0; i < signed.size(); i += 2) {
            assertThat(signed.get(i)).startsWith(expected + " v1,").hasSize(2 * expected.length() + 1);
            assertThat(signed.get(i)).isEqualTo(signed.getFirst());
        }
        assertThat(secret).matches("whsec_[A-Za-z0-9+/]{43}=");
        assertThat(Signatures.newSecret()).isNotEqualTo(secret);
        assertThat(Signatures.hint(secret)).isEqualTo(secret.substring(secret.length() - 4));
    }

    @Test
    void theDefaultScheduleIsEightAttemptsOverAboutADay() {
        WebhooksProperties defaults = properties(false, Duration.ofSeconds(5), 6);
        List<Duration> waits = java.util.stream.IntStream.rangeClosed(1, 7)
                .mapToObj(defaults::backoff)
                .toList();
        assertThat(waits)
                .containsExactly(
                        Duration.ofSeconds(5),
                        Duration.ofSeconds(30),
                        Duration.ofMinutes(3),
                        Duration.ofMinutes(18),
                        Duration.ofMinutes(108),
                        Duration.ofHours(10),
                        Duration.ofHours(10));
        Duration total = waits.stream().reduce(Duration.ZERO, Duration::plus);
        assertThat(total).isBetween(Duration.ofHours(20), Duration.ofHours(26));
        assertThatThrownBy(() -> properties(false, Duration.ZERO, 6)).hasMessageContaining("INITIAL_BACKOFF");
        assertThatThrownBy(() -> properties(false, Duration.ofSeconds(1), 0.5)).hasMessageContaining("MULTIPLIER");
    }

    @Test
    void internalAddressesAreBlockedAndPublicOnesAreNot() throws Exception {
        for (String blocked : List.of(
                "127.0.0.1",
                "127.8.9.10",
                "10.0.0.1",
                "172.16.5.4",
                "172.31.255.255",
                "192.168.0.1",
                "169.254.169.254",
                "100.64.0.1",
                "0.0.0.0",
                "224.0.0.1",
                "255.255.255.255",
                "::1",
                "::",
                "fe80::1",
                "fd00:ec2::254",
                "fc00::1",
                "::ffff:10.0.0.1")) {
            assertThat(UrlPolicy.blocked(InetAddress.getByName(blocked)))
                    .as(blocked)
                    .isTrue();
        }
        for (String open : List.of("93.184.216.34", "8.8.8.8", "172.32.0.1", "100.128.0.1", "2001:4860:4860::8888")) {
            assertThat(UrlPolicy.blocked(InetAddress.getByName(open))).as(open).isFalse();
        }
        assertThat(UrlPolicy.formProblem("https://example.com/x")).isNull();
        assertThat(UrlPolicy.formProblem("gopher://example.com/")).contains("http");
        assertThat(UrlPolicy.formProblem("https:///nohost")).contains("host");
        assertThat(UrlPolicy.formProblem("https://a:b@example.com/")).contains("credentials");
        assertThat(UrlPolicy.formProblem("https://example.com/#x")).contains("fragment");
    }

    @Test
    void theAddressIsCheckedAgainWhenSendingSoALoopbackReceiverIsNeverContacted() throws Exception {
        AtomicInteger hits = new AtomicInteger();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 10);
        server.createContext("/", exchange -> {
            hits.incrementAndGet();
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
        try {
            String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
            String named = "http://localhost:" + server.getAddress().getPort() + "/hook";
            Deliveries.Due due = new Deliveries.Due(1, "msg_1", "ping", "{\"type\":\"ping\"}", 0);
            WebhooksProperties strict = properties(false, Duration.ofSeconds(5), 6);
            Sender guarded = new Sender(strict, new UrlPolicy(strict));
            for (String target : List.of(url, named)) {
                Sender.Outcome refused =
                        guarded.send(target, new Signatures.Signer(List.of(Signatures.newSecret())), due, 1);
                assertThat(refused.status()).isNull();
                assertThat(refused.error()).contains("must not point at");
            }
            assertThat(hits).hasValue(0);

            WebhooksProperties lenient = properties(true, Duration.ofSeconds(5), 6);
            Sender open = new Sender(lenient, new UrlPolicy(lenient));
            Sender.Outcome sent = open.send(url, new Signatures.Signer(List.of(Signatures.newSecret())), due, 1);
            assertThat(sent.status()).isEqualTo(200);
            assertThat(sent.succeeded()).isTrue();
            assertThat(hits).hasValue(1);
        } finally {
            server.stop(0);
        }
    }

    @Test
    void theClientResolvesThroughThePolicySoItOnlyConnectsToApprovedAddresses() throws Exception {
        UrlPolicy strict = new UrlPolicy(properties(false, Duration.ofSeconds(5), 6));
        for (String host : List.of("localhost", "127.0.0.1", "10.1.2.3", "169.254.169.254", "::1")) {
            assertThatThrownBy(() -> strict.resolve(host))
                    .as(host)
                    .isInstanceOf(java.net.UnknownHostException.class)
                    .hasMessageContaining("loopback, private, link-local or metadata");
        }
        assertThat(strict.resolve("93.184.215.14"))
                .extracting(java.net.InetAddress::getHostAddress)
                .containsExactly("93.184.215.14");
        UrlPolicy lenient = new UrlPolicy(properties(true, Duration.ofSeconds(5), 6));
        assertThat(lenient.resolve("127.0.0.1"))
                .extracting(java.net.InetAddress::getHostAddress)
                .containsExactly("127.0.0.1");
    }
}

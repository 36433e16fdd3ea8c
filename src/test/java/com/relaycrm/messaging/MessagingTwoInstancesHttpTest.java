package com.relaycrm.messaging;

import static com.relaycrm.messaging.MessagingEventsHttpTest.token;
import static com.relaycrm.messaging.MessagingHttpTest.messages;
import static com.relaycrm.messaging.MessagingHttpTest.say;
import static com.relaycrm.messaging.MessagingHttpTest.thread;
import static org.assertj.core.api.Assertions.assertThat;

import com.relaycrm.RelayApplication;
import com.relaycrm.platform.Role;
import com.relaycrm.testsupport.ApiClient;
import com.relaycrm.testsupport.FreshDatabaseCustomizerFactory;
import com.relaycrm.testsupport.HttpTestSupport;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;

/**
 * Two Relay instances on one database: the test's application and a second one started here on another random
 * port. Realtime delivery, ordering and Idempotency-Key must hold across them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MessagingTwoInstancesHttpTest extends HttpTestSupport {

    private static final Duration WAIT = Duration.ofSeconds(15);

    @Autowired
    Environment environment;

    private ConfigurableApplicationContext second;
    private String secondBase;

    @BeforeAll
    void startSecondInstance() throws Exception {
        second = new SpringApplicationBuilder(RelayApplication.class)
                .run(
                        "--server.port=0",
                        "--spring.datasource.url=" + environment.getProperty("spring.datasource.url"),
                        "--spring.datasource.username=" + environment.getProperty("spring.datasource.username"),
                        "--spring.datasource.password=" + environment.getProperty("spring.datasource.password", ""),
                        "--relay.admin-token=" + FreshDatabaseCustomizerFactory.ADMIN_TOKEN,
                        "--relay.data-dir=" + Files.createTempDirectory("relay-second-instance"),
                        "--spring.application.name=relay-second",
                        "--relay.messaging.heartbeat=PT0.5S");
        secondBase = "http://localhost:" + second.getEnvironment().getProperty("local.server.port");
    }

    @AfterAll
    void stopSecondInstance() {
        if (second != null) {
            second.close();
        }
    }

    @Test
    void aMessagePostedOnOneInstanceReachesSubscribersOnTheOther() throws Exception {
        assertThat(secondBase).isNotEqualTo(api.base());
        ApiClient almaOnA = clientFor("alma", Role.AGENT);
        ApiClient bobOnA = clientFor("bob", Role.AGENT);
        ApiClient bobOnB = new ApiClient(secondBase, token(bobOnA));
        String thread = thread(almaOnA, "alma", "bob");

        try (SseStream onB = SseStream.open(secondBase, "/thread/" + thread + "/events", token(bobOnA));
                SseStream onA = SseStream.open(api.base(), "/thread/" + thread + "/events", token(almaOnA))) {
            assertThat(onB.status()).isEqualTo(200);
            assertThat(onA.status()).isEqualTo(200);
            onB.awaitConnected(WAIT);
            onA.awaitConnected(WAIT);

            say(almaOnA, thread, "alma", "from A");
            SseStream.Event received = onB.nextEvent(WAIT);
            assertThat(received.id()).isEqualTo("1");
            assertThat(received.name()).isEqualTo("message.created");
            assertThat(received.json().get("message").asString()).isEqualTo("from A");

            say(bobOnB, thread, "bob", "from B");
            List<SseStream.Event> onAEvents = onA.nextEvents(2, WAIT);
            assertThat(onAEvents)
                    .extracting(e -> e.json().get("message").asString())
                    .containsExactly("from A", "from B");
            SseStream.Event own = onB.nextEvent(WAIT);
            assertThat(own.id()).isEqualTo("2");
        }
        // both instances read the same, ordered thread
        assertThat(messages(bobOnB, thread))
                .extracting(m -> m.get("message").asString())
                .containsExactly("from A", "from B");
    }

    @Test
    void ordersAndKeysHoldAcrossInstances() throws Exception {
        ApiClient onA = clientFor("cy", Role.AGENT);
        ApiClient onB = new ApiClient(secondBase, token(onA));
        String thread = thread(onA, "cy", "dee");
        List<ApiClient.Response> responses = MessagingConcurrencyHttpTest.inParallel(
                40, i -> (i % 2 == 0 ? onA : onB).post("/thread/" + thread + "/cy", "{\"message\":\"x" + i + "\"}"));
        assertThat(responses).allSatisfy(r -> assertThat(r.status()).isEqualTo(204));
        assertThat(messages(onA, thread))
                .extracting(m -> m.get("seq").asLong())
                .containsExactlyElementsOf(
                        java.util.stream.LongStream.rangeClosed(1, 40).boxed().toList());

        String keyed = thread(onA, "cy", "dee");
        List<ApiClient.Response> keyedResponses = MessagingConcurrencyHttpTest.inParallel(
                10,
                i -> (i % 2 == 0 ? onA : onB)
                        .post(
                                "/thread/" + keyed + "/cy",
                                "{\"message\":\"once\"}",
                                "Idempotency-Key",
                                "across-instances"));
        assertThat(keyedResponses).allSatisfy(r -> assertThat(r.status()).isEqualTo(204));
        assertThat(messages(onB, keyed)).hasSize(1);
        assertProblem(
                onB.post("/thread/" + keyed + "/cy", "{\"message\":\"twice\"}", "Idempotency-Key", "across-instances"),
                409);
    }

    @Test
    void revokingATokenOnOneInstanceEndsItsStreamOnTheOther() throws Exception {
        ApiClient carol = clientFor("carol", Role.AGENT);
        String thread = thread(carol, "carol", "dan");
        ApiClient.Response issued = api.post("/api/v1/tokens", "{\"username\":\"dan\",\"roles\":[\"AGENT\"]}");
        String danToken = issued.json().get("token").asString();
        try (SseStream onB = SseStream.open(secondBase, "/thread/" + thread + "/events", danToken)) {
            assertThat(onB.status()).isEqualTo(200);
            onB.awaitConnected(WAIT);
            assertThat(api.delete("/api/v1/tokens/" + issued.json().get("id").asLong())
                            .status())
                    .isEqualTo(204);
            long revokedAt = System.nanoTime();
            assertThat(onB.endsWithin(WAIT)).isTrue();
            // the second instance's heartbeat is 0.5 s
            assertThat(Duration.ofNanos(System.nanoTime() - revokedAt)).isLessThan(Duration.ofMillis(2_000));
        }
        assertThat(SseStream.open(secondBase, "/thread/" + thread + "/events", danToken)
                        .status())
                .isEqualTo(401);
    }

    @Test
    void aStreamOnTheOtherInstanceResumesFromTheDatabase() throws Exception {
        ApiClient eve = clientFor("eve", Role.AGENT);
        String thread = thread(eve, "eve", "fin");
        say(eve, thread, "eve", "1");
        say(eve, thread, "eve", "2");
        try (SseStream onB =
                SseStream.open(secondBase, "/thread/" + thread + "/events", token(eve), "Last-Event-ID", "1")) {
            onB.awaitConnected(WAIT);
            assertThat(onB.nextEvent(WAIT).json().get("message").asString()).isEqualTo("2");
            say(eve, thread, "eve", "3");
            assertThat(onB.nextEvent(WAIT).id()).isEqualTo("3");
        }
    }
}

package com.relaycrm.messaging;

import static com.relaycrm.messaging.MessagingHttpTest.messages;
import static com.relaycrm.messaging.MessagingHttpTest.say;
import static com.relaycrm.messaging.MessagingHttpTest.thread;
import static org.assertj.core.api.Assertions.assertThat;

import com.relaycrm.platform.Role;
import com.relaycrm.testsupport.ApiClient;
import com.relaycrm.testsupport.HttpTestSupport;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/** Server-Sent Events: live delivery, resume with Last-Event-ID, heartbeats and a lost LISTEN connection. */
@TestPropertySource(properties = "relay.messaging.heartbeat=PT0.3S")
class MessagingEventsHttpTest extends HttpTestSupport {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @Autowired
    JdbcClient jdbc;

    private ApiClient alma;
    private ApiClient bob;
    private String almaToken;
    private String bobToken;

    @BeforeEach
    void users() {
        alma = clientFor("alma", Role.AGENT);
        bob = clientFor("bob", Role.AGENT);
        almaToken = token(alma);
        bobToken = token(bob);
    }

    static String token(ApiClient client) {
        // the ApiClient keeps its token private; a throwaway request shows which one it sends
        try {
            var field = ApiClient.class.getDeclaredField("token");
            field.setAccessible(true);
            return (String) field.get(client);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private SseStream subscribe(String token, String thread, String... headers) throws InterruptedException {
        SseStream stream = SseStream.open(api.base(), "/thread/" + thread + "/events", token, headers);
        assertThat(stream.status()).as(String.valueOf(stream.errorBody())).isEqualTo(200);
        assertThat(stream.contentType()).startsWith("text/event-stream");
        return stream.awaitConnected(WAIT);
    }

    @Test
    void eventsArriveLiveInSeqOrder() throws Exception {
        String thread = thread(alma, "alma", "bob");
        try (SseStream stream = subscribe(bobToken, thread)) {
            say(alma, thread, "alma", "hello");
            say(bob, thread, "bob", "hi \uD83D\uDE00");
            say(alma, thread, "alma", "bye\r\nfor now");
            List<SseStream.Event> created = stream.nextEvents(3, WAIT);
            assertThat(created).extracting(SseStream.Event::id).containsExactly("1", "2", "3");
            assertThat(created).extracting(SseStream.Event::name).containsOnly("message.created");
            JsonNode first = created.getFirst().json();
            assertThat(first.get("thread_id").asString()).isEqualTo(thread);
            assertThat(first.get("username").asString()).isEqualTo("alma");
            assertThat(first.get("message").asString()).isEqualTo("hello");
            assertThat(first.get("seq").asLong()).isEqualTo(1);
            assertThat(first.get("id").asString())
                    .isEqualTo(messages(alma, thread).getFirst().get("id").asString());
            assertThat(created.get(1).json().get("message").asString()).isEqualTo("hi \uD83D\uDE00");
            assertThat(created.get(2).json().get("message").asString())
                    .as("a line break in the text stays inside the event's one data line")
                    .isEqualTo("bye\r\nfor now");

            List<JsonNode> stored = messages(alma, thread);
            assertThat(alma.patch(
                                    "/thread/" + thread + "/messages/"
                                            + stored.get(0).get("id").asString(),
                                    "{\"message\":\"hello!\"}")
                            .status())
                    .isEqualTo(200);
            assertThat(bob.delete("/thread/" + thread + "/messages/"
                                    + stored.get(1).get("id").asString())
                            .status())
                    .isEqualTo(204);
            SseStream.Event edited = stream.nextEvent(WAIT);
            assertThat(edited.name()).isEqualTo("message.edited");
            assertThat(edited.id()).isEqualTo("4");
            assertThat(edited.json().get("message").asString()).isEqualTo("hello!");
            assertThat(edited.json().get("seq").asLong()).isEqualTo(1);
            assertThat(edited.json().get("edited_at").asString()).isNotBlank();
            SseStream.Event deleted = stream.nextEvent(WAIT);
            assertThat(deleted.name()).isEqualTo("message.deleted");
            assertThat(deleted.id()).isEqualTo("5");
            assertThat(deleted.json().get("deleted").asBoolean()).isTrue();
            assertThat(deleted.json().has("message")).isFalse();
        }
    }

    @Test
    void onlyThisThreadsEventsAreSent() throws Exception {
        String thread = thread(alma, "alma", "bob");
        String other = thread(alma, "alma", "bob");
        try (SseStream stream = subscribe(bobToken, thread)) {
            say(alma, other, "alma", "elsewhere");
            say(alma, thread, "alma", "here");
            SseStream.Event event = stream.nextEvent(WAIT);
            assertThat(event.json().get("message").asString()).isEqualTo("here");
        }
    }

    @Test
    void reconnectingWithLastEventIdReceivesWhatWasMissedFirst() throws Exception {
        String thread = thread(alma, "alma", "bob");
        say(alma, thread, "alma", "one");
        say(alma, thread, "alma", "two");
        say(alma, thread, "alma", "three");
        try (SseStream stream = subscribe(bobToken, thread, "Last-Event-ID", "1")) {
            List<SseStream.Event> missed = stream.nextEvents(2, WAIT);
            assertThat(missed).extracting(SseStream.Event::id).containsExactly("2", "3");
            assertThat(missed)
                    .extracting(e -> e.json().get("message").asString())
                    .containsExactly("two", "three");
            say(alma, thread, "alma", "four");
            SseStream.Event live = stream.nextEvent(WAIT);
            assertThat(live.id()).isEqualTo("4");
            assertThat(live.json().get("message").asString()).isEqualTo("four");
        }
        // an edit and a delete made while away are replayed as such, and deleted text never is
        List<JsonNode> stored = messages(alma, thread);
        alma.patch("/thread/" + thread + "/messages/" + stored.get(0).get("id").asString(), "{\"message\":\"ONE\"}");
        alma.delete("/thread/" + thread + "/messages/" + stored.get(1).get("id").asString());
        say(bob, thread, "bob", "five");
        try (SseStream stream = subscribe(bobToken, thread, "Last-Event-ID", "4")) {
            List<SseStream.Event> missed = stream.nextEvents(3, WAIT);
            assertThat(missed).extracting(SseStream.Event::id).containsExactly("5", "6", "7");
            assertThat(missed)
                    .extracting(SseStream.Event::name)
                    .containsExactly("message.edited", "message.deleted", "message.created");
            assertThat(missed.get(0).json().get("message").asString()).isEqualTo("ONE");
            assertThat(missed.get(1).data()).doesNotContain("two");
        }
        // the query parameter works too (EventSource cannot set headers on its first connection)
        try (SseStream stream = SseStream.open(api.base(), "/thread/" + thread + "/events?last_event_id=6", bobToken)) {
            assertThat(stream.status()).isEqualTo(200);
            stream.awaitConnected(WAIT);
            SseStream.Event event = stream.nextEvent(WAIT);
            assertThat(event.id()).isEqualTo("7");
            assertThat(event.json().get("message").asString()).isEqualTo("five");
        }
        // from zero: everything, once, in order
        try (SseStream stream = subscribe(almaToken, thread, "Last-Event-ID", "0")) {
            List<SseStream.Event> all = stream.nextEvents(7, WAIT);
            assertThat(all).extracting(e -> Long.parseLong(e.id())).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L);
            assertThat(all)
                    .extracting(SseStream.Event::name)
                    .containsExactly(
                            "message.created",
                            "message.created",
                            "message.created",
                            "message.created",
                            "message.edited",
                            "message.deleted",
                            "message.created");
            // replayed events carry the message as it is now: the deleted text is gone from its created event too
            assertThat(all.get(1).json().get("deleted").asBoolean()).isTrue();
            assertThat(all.get(1).data()).doesNotContain("two");
            assertThat(stream.next(Duration.ofSeconds(1)).isComment()).isTrue();
        }
    }

    @Test
    void idleStreamsGetHeartbeats() throws Exception {
        String thread = thread(alma, "alma", "bob");
        try (SseStream stream = subscribe(bobToken, thread)) {
            SseStream.Event first = stream.next(WAIT);
            SseStream.Event second = stream.next(WAIT);
            assertThat(first.comment()).isEqualTo("heartbeat");
            assertThat(second.comment()).isEqualTo("heartbeat");
            say(alma, thread, "alma", "still here");
            assertThat(stream.nextEvent(WAIT).json().get("message").asString()).isEqualTo("still here");
        }
    }

    @Test
    void revokingTheTokenEndsItsOpenStreamsWithinAHeartbeat() throws Exception {
        String thread = thread(alma, "alma", "bob");
        JsonNode issued = api.post("/api/v1/tokens", "{\"username\":\"bob\",\"roles\":[\"AGENT\"]}")
                .json();
        String revoked = issued.get("token").asString();
        try (SseStream doomed = subscribe(revoked, thread);
                SseStream other = subscribe(bobToken, thread)) {
            assertThat(doomed.endsWithin(Duration.ofMillis(700)))
                    .as("a live token's stream stays open")
                    .isFalse();
            assertThat(api.delete("/api/v1/tokens/" + issued.get("id").asLong()).status())
                    .isEqualTo(204);
            long revokedAt = System.nanoTime();
            assertThat(doomed.endsWithin(WAIT))
                    .as("the revoked token's stream ends")
                    .isTrue();
            // heartbeat 0.3 s; the margin is for a busy 2-core machine, far below the 30-minute stream timeout
            assertThat(Duration.ofNanos(System.nanoTime() - revokedAt)).isLessThan(Duration.ofMillis(1_300));

            say(alma, thread, "alma", "after the revocation");
            assertThat(other.nextEvent(WAIT).json().get("message").asString())
                    .as("another token of the same user keeps its stream")
                    .isEqualTo("after the revocation");
            assertThat(other.endsWithin(Duration.ZERO)).isFalse();
        }
        SseStream reconnect = SseStream.open(api.base(), "/thread/" + thread + "/events", revoked);
        assertThat(reconnect.status()).isEqualTo(401);
        assertThat(reconnect.errorBody()).contains("\"status\":401");
    }

    @Test
    void streamsFollowTheReadRules() throws Exception {
        String thread = thread(alma, "alma", "bob");
        String carolToken = token(clientFor("carol", Role.AGENT));
        SseStream outsider = SseStream.open(api.base(), "/thread/" + thread + "/events", carolToken);
        assertThat(outsider.status()).isEqualTo(403);
        assertThat(outsider.errorBody()).contains("\"status\":403");
        assertThat(SseStream.open(api.base(), "/thread/" + UUID.randomUUID() + "/events", bobToken)
                        .status())
                .isEqualTo(404);
        assertThat(SseStream.open(api.base(), "/thread/nope/events", bobToken).status())
                .isEqualTo(404);
        SseStream badId = SseStream.open(api.base(), "/thread/" + thread + "/events", bobToken, "Last-Event-ID", "abc");
        assertThat(badId.status()).isEqualTo(400);
        assertThat(badId.errorBody()).contains("Last-Event-ID");
        assertThat(SseStream.open(api.base(), "/thread/" + thread + "/events", "rly_bogus-token-000000000000000000")
                        .status())
                .isEqualTo(401);
        String serviceToken = token(clientFor("svc", Role.MESSAGING_SERVICE));
        try (SseStream service = subscribe(serviceToken, thread)) {
            assertThat(api.get("/actuator/prometheus").body()).containsPattern("relay_messaging_sse_subscribers [1-9]");
            say(alma, thread, "alma", "watched");
            assertThat(service.nextEvent(WAIT).json().get("message").asString()).isEqualTo("watched");
        }
    }

    @Test
    void lostListenConnectionIsReopenedAndMissedEventsReplayed() throws Exception {
        String thread = thread(alma, "alma", "bob");
        try (SseStream stream = subscribe(bobToken, thread)) {
            say(alma, thread, "alma", "before");
            assertThat(stream.nextEvent(WAIT).json().get("message").asString()).isEqualTo("before");

            int killed = jdbc.sql("""
                    SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
                    WHERE application_name = 'relay-messaging-listener' AND datname = current_database()""").query(Integer.class).single();
            assertThat(killed).isEqualTo(1);
            say(alma, thread, "alma", "during");
            say(alma, thread, "alma", "after");
            List<SseStream.Event> events = stream.nextEvents(2, WAIT);
            assertThat(events)
                    .extracting(e -> e.json().get("message").asString())
                    .containsExactly("during", "after");
            assertThat(events).extracting(SseStream.Event::id).containsExactly("2", "3");
        }
        assertThat(api.get("/actuator/prometheus").body()).contains("relay_messaging_listener_connected 1.0");
        // a new listener connection is in place
        assertThat(jdbc.sql("""
                SELECT count(*) FROM pg_stat_activity
                WHERE application_name = 'relay-messaging-listener' AND datname = current_database()""").query(Integer.class).single()).isEqualTo(1);
    }
}

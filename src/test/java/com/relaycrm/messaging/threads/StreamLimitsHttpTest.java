package com.relaycrm.messaging.threads;

import static org.assertj.core.api.Assertions.assertThat;

import com.relaycrm.platform.Role;
import com.relaycrm.testsupport.ApiClient;
import com.relaycrm.testsupport.HttpTestSupport;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

/** Event streams are capped per token, and a subscriber that does not read is cut off instead of buffered. */
@TestPropertySource(
        properties = {
            "relay.messaging.max-streams-per-caller=3",
            "relay.messaging.subscriber-queue=8",
            "relay.messaging.heartbeat=PT1S"
        })
class StreamLimitsHttpTest extends HttpTestSupport {

    @Autowired
    ThreadEventHub hub;

    private String thread(ApiClient client, String... users) {
        String list = String.join(
                ",", java.util.Arrays.stream(users).map(u -> "\"" + u + "\"").toList());
        ApiClient.Response created = client.post("/thread", "{\"users\":[" + list + "]}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.json().get("thread_id").asString();
    }

    @Test
    void aTokenMayHoldOnlyTheConfiguredNumberOfStreams() throws Exception {
        ApiClient alma = clientFor("alma", Role.AGENT);
        ApiClient bob = clientFor("bob", Role.AGENT);
        String thread = thread(alma, "alma", "bob");
        List<Socket> open = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                Socket stream = openStream(alma.token(), thread);
                assertThat(statusLine(stream)).startsWith("HTTP/1.1 200");
                open.add(stream);
            }
            Socket fourth = openStream(alma.token(), thread);
            open.add(fourth);
            String refused = head(fourth);
            assertThat(refused).startsWith("HTTP/1.1 429").containsIgnoringCase("Retry-After: 5");

            Socket bobs = openStream(bob.token(), thread);
            open.add(bobs);
            assertThat(statusLine(bobs))
                    .as("another token has its own allowance")
                    .startsWith("HTTP/1.1 200");

            // Closing one stream frees its place once the server notices (at the next heartbeat).
            open.getFirst().close();
            Instant deadline = Instant.now().plusSeconds(15);
            String again;
            do {
                Thread.sleep(300);
                Socket retry = openStream(alma.token(), thread);
                open.add(retry);
                again = statusLine(retry);
            } while (!again.startsWith("HTTP/1.1 200") && Instant.now().isBefore(deadline));
            assertThat(again).startsWith("HTTP/1.1 200");
        } finally {
            for (Socket socket : open) {
                socket.close();
            }
        }
    }

    @Test
    void aSubscriberThatDoesNotReadIsClosedWhenItsQueueOverflows() throws Exception {
        ApiClient carl = clientFor("carl", Role.AGENT);
        String thread = thread(carl, "carl", "fred");
        int before = hub.subscriberCount();
        try (Socket stream = openStream(carl.token(), thread)) {
            // The client reads nothing from here on; socket buffers fill, then the subscriber's queue.
            Instant started = Instant.now();
            while (hub.subscriberCount() <= before
                    && Duration.between(started, Instant.now()).getSeconds() < 5) {
                Thread.sleep(20);
            }
            assertThat(hub.subscriberCount()).isEqualTo(before + 1);
            String payload = "{\"text\":\"" + "x".repeat(64 * 1024) + "\"}";
            UUID id = UUID.fromString(thread);
            Instant deadline = Instant.now().plusSeconds(30);
            long seq = 1;
            while (hub.subscriberCount() > before && Instant.now().isBefore(deadline)) {
                hub.dispatch(new ThreadEvent(id, seq++, ThreadEvent.CREATED, payload));
                if (seq % 50 == 0) {
                    Thread.sleep(10);
                }
            }
            assertThat(hub.subscriberCount())
                    .as("the stream was closed after %d events", seq)
                    .isEqualTo(before);
        }
    }

    @Test
    void inTheConsoleAServiceTokenStreamsExactlyTheThreadsItMayRead() throws Exception {
        ApiClient dora = clientFor("dora", Role.AGENT);
        ApiClient service = clientFor("relay-bot", Role.MESSAGING_SERVICE);
        String thread = thread(dora, "dora", "eve");
        com.relaycrm.testsupport.ConsoleClient console = new com.relaycrm.testsupport.ConsoleClient(port);
        console.signIn(service.token());
        assertThat(console.get("/console/inbox/" + thread).status())
                .as("the page: participants only")
                .isEqualTo(403);
        String cookie = console.cookie("relay_console").orElseThrow().toString();
        try (Socket stream = new Socket("127.0.0.1", port)) {
            stream.setSoTimeout(10_000);
            stream.getOutputStream()
                    .write(("GET /console/inbox/" + thread + "/events HTTP/1.1\r\nHost: localhost\r\n"
                                    + "Accept: text/event-stream\r\nCookie: " + cookie + "\r\n\r\n")
                            .getBytes(StandardCharsets.ISO_8859_1));
            assertThat(statusLine(stream)).as("the live stream: the same").startsWith("HTTP/1.1 403");
        }
        // Through the API a service token still acts for anyone, as it may read the thread there too.
        try (Socket api = openStream(service.token(), thread)) {
            assertThat(statusLine(api)).startsWith("HTTP/1.1 200");
        }
    }

    private Socket openStream(String token, String thread) throws IOException {
        Socket socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(10_000);
        socket.setReceiveBufferSize(4096);
        String request = "GET /thread/" + thread + "/events HTTP/1.1\r\nHost: localhost\r\n"
                + "Accept: text/event-stream\r\nAuthorization: Bearer " + token + "\r\n\r\n";
        socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
        socket.getOutputStream().flush();
        return socket;
    }

    private static String statusLine(Socket socket) throws IOException {
        return head(socket).lines().findFirst().orElse("");
    }

    /** The response's status line and headers. */
    private static String head(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        StringBuilder head = new StringBuilder();
        int b;
        while ((b = in.read()) >= 0) {
            head.append((char) b);
            if (head.toString().endsWith("\r\n\r\n")) {
                break;
            }
        }
        return head.toString();
    }
}

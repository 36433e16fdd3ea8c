package com.relaycrm.messaging.threads;

import static org.assertj.core.api.Assertions.assertThat;

import com.relaycrm.platform.Role;
import com.relaycrm.testsupport.ApiClient;
import com.relaycrm.testsupport.HttpTestSupport;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
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
        try (Socket stream = new Socket()) {
            stream.setReceiveBufferSize(4096);
            stream.connect(new java.net.InetSocketAddress("127.0.0.1", port));
            stream.setSoTimeout(10_000);
            stream.getOutputStream()
                    .write(("GET /thread/" + thread + "/events HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
                                    + "Accept: text/event-stream\r\nAuthorization: Bearer " + carl.token() + "\r\n\r\n")
                            .getBytes(StandardCharsets.ISO_8859_1));
            assertThat(statusLine(stream)).startsWith("HTTP/1.1 200");
            Instant subscribed = Instant.now().plusSeconds(5);
            while (hub.subscriberCount() <= before && Instant.now().isBefore(subscribed)) {
                Thread.sleep(20);
            }
            // ~25 MB while the client reads nothing: far more than the socket buffers and the 8-event queue hold.
            String payload = "{\"text\":\"" + "x".repeat(64 * 1024) + "\"}";
            UUID id = UUID.fromString(thread);
            for (long seq = 1; seq <= 400; seq++) {
                hub.dispatch(new ThreadEvent(id, seq, ThreadEvent.CREATED, payload));
            }
            // Now read: a closed stream ends (Connection: close) once its buffered bytes are read; an open one keeps
            // sending events and heartbeats for ever.
            InputStream in = stream.getInputStream();
            byte[] buffer = new byte[64 * 1024];
            Instant deadline = Instant.now().plusSeconds(10);
            boolean ended = false;
            while (Instant.now().isBefore(deadline)) {
                if (in.read(buffer) < 0) {
                    ended = true;
                    break;
                }
            }
            assertThat(ended)
                    .as("the server ended the stream of a client that stopped reading")
                    .isTrue();
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

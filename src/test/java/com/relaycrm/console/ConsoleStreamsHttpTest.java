package com.relaycrm.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.relaycrm.testsupport.ApiClient;
import com.relaycrm.testsupport.ConsoleClient;
import com.relaycrm.testsupport.HttpTestSupport;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/** The console's live thread stream ends once its session or token no longer stands behind it. */
@TestPropertySource(properties = "relay.messaging.heartbeat=PT0.5S")
class ConsoleStreamsHttpTest extends HttpTestSupport {

    private static final Duration WAIT = Duration.ofSeconds(10);
    /** One heartbeat (0.5 s) plus room for a busy 2-core machine; far below the 30-minute stream timeout. */
    private static final Duration ONE_HEARTBEAT_AND_SLACK = Duration.ofMillis(1_500);

    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    @Autowired
    JdbcClient jdbc;

    private ConsoleFixtures fixtures;
    private String alice;
    private String bob;
    private String thread;

    @BeforeEach
    void conversation() {
        fixtures = new ConsoleFixtures(api);
        alice = ConsoleFixtures.unique("alice");
        bob = ConsoleFixtures.unique("bob");
        thread = fixtures.thread(alice, bob);
    }

    private JsonNode issue(String username) {
        return fixtures.issue(username, "SALES");
    }

    private ConsoleClient signedIn(String token) {
        ConsoleClient browser = new ConsoleClient(port);
        assertThat(browser.signIn(token).status()).isEqualTo(302);
        return browser;
    }

    private Stream open(ConsoleClient browser) throws Exception {
        Stream stream = Stream.open(port, "/console/inbox/" + thread + "/events", browser);
        assertThat(stream.status).isEqualTo(200);
        assertThat(stream.nextLine(WAIT)).isEqualTo(":connected");
        return stream;
    }

    @Test
    void signingOutEndsThatSessionsOpenStreamOnly() throws Exception {
        String token = issue(alice).get("token").asString();
        ConsoleClient leaving = signedIn(token);
        ConsoleClient staying = signedIn(token);
        try (Stream doomed = open(leaving);
                Stream other = open(staying)) {
            assertThat(doomed.endsWithin(Duration.ofSeconds(1)))
                    .as("a signed-in session's stream stays open")
                    .isFalse();
            leaving.get("/console");
            assertThat(leaving.postForm("/console/signout", java.util.Map.of()).status())
                    .isEqualTo(302);
            long signedOut = System.nanoTime();
            assertThat(doomed.endsWithin(WAIT))
                    .as("the signed-out session's stream ends")
                    .isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - signedOut)).isLessThan(ONE_HEARTBEAT_AND_SLACK);

            ApiClient.Response posted =
                    api.post("/thread/" + thread + "/" + bob, "{\"message\":\"still live for the other\"}");
            assertThat(posted.status()).isEqualTo(204);
            assertThat(other.nextDataLine(WAIT)).contains("\"message\":\"still live for the other\"");
            assertThat(other.endsWithin(Duration.ZERO)).isFalse();
        }
        Stream reconnect = Stream.open(port, "/console/inbox/" + thread + "/events", leaving);
        assertThat(reconnect.status).isEqualTo(401);
        assertThat(reconnect.errorBody).contains("\"status\":401");
    }

    @Test
    void aSessionInvalidatedElsewhereEndsItsStream() throws Exception {
        ConsoleClient browser = signedIn(issue(alice).get("token").asString());
        try (Stream stream = open(browser)) {
            // Spring Session's cookie carries the session id base64-encoded
            String sessionId = new String(
                    Base64.getDecoder()
                            .decode(browser.cookie("relay_console")
                                    .orElseThrow()
                                    .getValue()),
                    StandardCharsets.US_ASCII);
            // what Spring Session does when a session is invalidated on another instance
            assertThat(jdbc.sql("DELETE FROM console_session WHERE session_id = :id")
                            .param("id", sessionId)
                            .update())
                    .isEqualTo(1);
            long invalidated = System.nanoTime();
            assertThat(stream.endsWithin(WAIT)).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - invalidated)).isLessThan(ONE_HEARTBEAT_AND_SLACK);
        }
        ConsoleClient.Page page = browser.get("/console/inbox/" + thread);
        assertThat(page.status()).isEqualTo(302);
        assertThat(page.location()).endsWith("/console/signin");
    }

    @Test
    void revokingTheTokenEndsTheConsoleStreamAndTheReconnectIsRefused() throws Exception {
        JsonNode issued = issue(alice);
        ConsoleClient browser = signedIn(issued.get("token").asString());
        try (Stream stream = open(browser)) {
            assertThat(api.delete("/api/v1/tokens/" + issued.get("id").asLong()).status())
                    .isEqualTo(204);
            long revoked = System.nanoTime();
            assertThat(stream.endsWithin(WAIT)).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - revoked)).isLessThan(ONE_HEARTBEAT_AND_SLACK);
        }
        Stream reconnect = Stream.open(port, "/console/inbox/" + thread + "/events", browser);
        assertThat(reconnect.status).isEqualTo(401);
        ConsoleClient.Page page = browser.get("/console/inbox/" + thread);
        assertThat(page.location()).endsWith("/console/signin");
    }

    /** An EventSource-like reader: the session cookie, Accept: text/event-stream, raw lines until the body ends. */
    private static final class Stream implements AutoCloseable {

        private final int status;
        private final String errorBody;
        private final InputStream body;
        private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        private final Thread reader;

        private Stream(HttpResponse<InputStream> response) throws IOException {
            this.status = response.statusCode();
            this.body = response.body();
            this.errorBody = status == 200 ? "" : new String(body.readAllBytes(), StandardCharsets.UTF_8);
            this.reader = Thread.ofVirtual().start(this::read);
        }

        static Stream open(int port, String path, ConsoleClient browser) throws Exception {
            String cookie = browser.cookie("relay_console")
                    .map(c -> "relay_console=" + c.getValue())
                    .orElse("");
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                    .header("Accept", "text/event-stream")
                    .header("Cookie", cookie)
                    .GET()
                    .build();
            return new Stream(HTTP.send(request, HttpResponse.BodyHandlers.ofInputStream()));
        }

        private void read() {
            if (status != 200) {
                return;
            }
            try (BufferedReader in = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    if (!line.isEmpty() && !line.startsWith("retry:")) {
                        lines.add(line);
                    }
                }
            } catch (IOException e) {
                // closed by the test
            }
        }

        String nextLine(Duration timeout) throws InterruptedException {
            return lines.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }

        String nextDataLine(Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                String line = lines.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                if (line != null && line.startsWith("data:")) {
                    return line;
                }
            }
            throw new AssertionError("no data line within " + timeout);
        }

        boolean endsWithin(Duration timeout) throws InterruptedException {
            return reader.join(timeout);
        }

        @Override
        public void close() {
            try {
                body.close();
            } catch (IOException ignored) {
                // already closed
            }
            reader.interrupt();
        }
    }
}

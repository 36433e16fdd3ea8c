package com.relaycrm.platform;

import static org.assertj.core.api.Assertions.assertThat;

import com.relaycrm.testsupport.ApiClient;
import com.relaycrm.testsupport.HttpTestSupport;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

/** The gate with one permit, which the test takes itself to play a busy instance. */
@TestPropertySource(properties = {"relay.http.admission.permits=1", "relay.http.admission.max-wait=PT0.3S"})
class AdmissionHttpTest extends HttpTestSupport {

    @Autowired
    RequestAdmission admission;

    @Test
    void aFullInstanceAnswers503ProblemsButStillReportsHealth() {
        ApiClient viewer = clientFor("admission-viewer", Role.VIEWER);
        assertThat(viewer.get("/leads").status()).isEqualTo(200);
        assertThat(admission.inUse()).as("the request gave its permit back").isZero();

        assertThat(admission.admit()).isTrue();
        try {
            long started = System.nanoTime();
            ApiClient.Response busy = viewer.get("/leads");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
            var problem = assertProblem(busy, 503);
            assertThat(problem.get("type").asString()).endsWith("/server-busy");
            assertThat(busy.header("Retry-After")).hasValue("1");

            assertThat(viewer.get("/health").status()).isEqualTo(200);
            ApiClient.Response gauge = api.get("/actuator/metrics/relay.http.admission.in.use");
            assertThat(gauge.json().get("measurements").get(0).get("value").asDouble())
                    .as("the gauge sees the permit the test holds")
                    .isEqualTo(1.0);
            assertThat(viewer.get("/actuator/health").status()).isNotEqualTo(503);
            ApiClient.Response upload = viewer.sendBytes(
                    "POST", "/api/v1/atendimento/import_csv", "text/csv", "id_atendimento\n".getBytes());
            assertThat(upload.status())
                    .as("a streamed upload is not held at the gate (a VIEWER may not import)")
                    .isEqualTo(403);
        } finally {
            admission.release();
        }
        assertThat(viewer.get("/leads").status()).isEqualTo(200);
    }

    @Test
    void aNonJsonContentTypeIsNoWayAroundTheGate() {
        ApiClient viewer = clientFor("admission-xml", Role.VIEWER);
        assertThat(admission.admit()).isTrue();
        try {
            ApiClient.Response xml = viewer.send("POST", "/leads", "application/xml", "<lead/>");
            var problem = assertProblem(xml, 503);
            assertThat(problem.get("type").asString()).endsWith("/server-busy");
        } finally {
            admission.release();
        }
    }

    @Test
    void aJsonBodyStillArrivingHoldsNoPermit() throws Exception {
        ApiClient alice = clientFor("admission-slow", Role.AGENT);
        byte[] json = "{\"users\": [\"admission-slow\", \"admission-other\"]}".getBytes(StandardCharsets.UTF_8);
        int half = json.length / 2;
        try (Socket socket = new Socket("localhost", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /thread HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + alice.token()
                            + "\r\nContent-Type: application/json\r\nContent-Length: " + json.length
                            + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(json, 0, half);
            out.flush();
            Thread.sleep(300);
            assertThat(admission.inUse())
                    .as("half a body has arrived; the request must not be at work yet")
                    .isZero();
            assertThat(viewerCanList()).isTrue();
            out.write(json, half, json.length - half);
            out.flush();
            String status = new String(socket.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
            assertThat(status).isEqualTo("HTTP/1.1 201");
        }
    }

    private boolean viewerCanList() {
        return clientFor("admission-bystander", Role.VIEWER).get("/leads").status() == 200;
    }

    @Test
    void anOpenEventStreamDoesNotKeepItsPermit() throws Exception {
        ApiClient alice = clientFor("admission-alice", Role.AGENT);
        String thread = alice.post("/thread", "{\"users\":[\"admission-alice\",\"admission-bob\"]}")
                .json()
                .get("thread_id")
                .asString();
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<InputStream> stream = http.send(
                    HttpRequest.newBuilder(URI.create(alice.base() + "/thread/" + thread + "/events"))
                            .header("Authorization", "Bearer " + alice.token())
                            .header("Accept", "text/event-stream")
                            .build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream events = stream.body()) {
                assertThat(stream.statusCode()).isEqualTo(200);
                assertThat(alice.post("/thread/" + thread + "/admission-alice", "{\"message\":\"hi\"}")
                                .status())
                        .as("the one permit is free while the stream stays open")
                        .isEqualTo(204);
                assertThat(admission.inUse()).isZero();
            }
        }
    }
}

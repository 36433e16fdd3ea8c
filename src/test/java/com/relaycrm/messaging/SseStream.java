package com.relaycrm.messaging;

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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A minimal Server-Sent Events client for tests: parses the wire format into events and comments. */
final class SseStream implements AutoCloseable {

    record Event(String id, String name, String data, String comment) {

        JsonNode json() {
            return JSON.readTree(data);
        }

        boolean isComment() {
            return comment != null;
        }
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    private final BlockingQueue<Event> received = new LinkedBlockingQueue<>();
    private final int status;
    private final String contentType;
    private final String errorBody;
    private final InputStream body;
    private final Thread reader;

    private SseStream(HttpResponse<InputStream> response) throws IOException {
        this.status = response.statusCode();
        this.contentType = response.headers().firstValue("Content-Type").orElse("");
        this.body = response.body();
        if (status != 200) {
            this.errorBody = new String(body.readAllBytes(), StandardCharsets.UTF_8);
            this.reader = null;
            return;
        }
        this.errorBody = null;
        this.reader = Thread.ofVirtual().start(this::read);
    }

    static SseStream open(String base, String path, String token, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .header("Accept", "text/event-stream")
                .header("Authorization", "Bearer " + token)
                .GET();
        for (int i = 0; i + 1 < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        try {
            return new SseStream(HTTP.send(request.build(), HttpResponse.BodyHandlers.ofInputStream()));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    int status() {
        return status;
    }

    String contentType() {
        return contentType;
    }

    String errorBody() {
        return errorBody;
    }

    private void read() {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            String id = null;
            String name = null;
            StringBuilder data = null;
            String line;
            while ((line = lines.readLine()) != null) {
                if (line.isEmpty()) {
                    if (data != null || name != null || id != null) {
                        received.add(new Event(id, name, data == null ? null : data.toString(), null));
                    }
                    id = null;
                    name = null;
                    data = null;
                } else if (line.startsWith(":")) {
                    received.add(new Event(null, null, null, line.substring(1).strip()));
                } else if (line.startsWith("id:")) {
                    id = line.substring(3).strip();
                } else if (line.startsWith("event:")) {
                    name = line.substring(6).strip();
                } else if (line.startsWith("data:")) {
                    String part = line.substring(5);
                    part = part.startsWith(" ") ? part.substring(1) : part;
                    data = data == null
                            ? new StringBuilder(part)
                            : data.append('\n').append(part);
                }
            }
        } catch (IOException e) {
            // stream closed by the test or the server
        }
    }

    /** The next comment or event, or null after the timeout. */
    Event next(Duration timeout) throws InterruptedException {
        return received.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The next real event (comments skipped); fails after the timeout. */
    Event nextEvent(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            Event event = left <= 0 ? null : received.poll(left, TimeUnit.NANOSECONDS);
            if (event == null) {
                throw new AssertionError("no SSE event within " + timeout);
            }
            if (!event.isComment()) {
                return event;
            }
        }
    }

    List<Event> nextEvents(int count, Duration timeout) throws InterruptedException {
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            events.add(nextEvent(timeout));
        }
        return events;
    }

    /** Waits for the server's first comment, sent once the subscription is registered. */
    SseStream awaitConnected(Duration timeout) throws InterruptedException {
        Event first = next(timeout);
        if (first == null || !"connected".equals(first.comment())) {
            throw new AssertionError("expected the 'connected' comment, got " + first);
        }
        return this;
    }

    /** Whether the server ended the stream (the body reached its end) within {@code timeout}. */
    boolean endsWithin(Duration timeout) throws InterruptedException {
        return reader != null && reader.join(timeout);
    }

    @Override
    public void close() {
        try {
            body.close();
        } catch (IOException ignored) {
            // already closed
        }
        if (reader != null) {
            reader.interrupt();
        }
    }
}

package com.relaycrm.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import com.relaycrm.testsupport.ApiClient;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import tools.jackson.databind.JsonNode;

/** A webhook receiver on a local port, answering as {@link #respond} says and recording every request. */
final class Receiver implements AutoCloseable {

    record Request(String path, Map<String, List<String>> headers, String body, Instant at) {

        String header(String name) {
            List<String> values = headers.get(name);
            assertThat(values).as("header " + name).isNotNull().hasSize(1);
            return values.getFirst();
        }

        JsonNode json() {
            return ApiClient.JSON.readTree(body);
        }
    }

    /** The answer to a request: a status, and how long to wait before it. */
    record Answer(int status, Duration delay) {
        static Answer of(int status) {
            return new Answer(status, Duration.ZERO);
        }
    }

    final List<Request> requests = new CopyOnWriteArrayList<>();
    volatile Function<Request, Answer> respond = request -> Answer.of(200);
    private final HttpServer server;

    Receiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 200);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", exchange -> {
            Request request = new Request(
                    exchange.getRequestURI().getPath(),
                    Map.copyOf(exchange.getRequestHeaders().entrySet().stream()
                            .collect(java.util.stream.Collectors.toMap(
                                    e -> e.getKey().toLowerCase(java.util.Locale.ROOT), Map.Entry::getValue))),
                    new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8),
                    Instant.now());
            Answer answer = respond.apply(request);
            requests.add(request);
            try {
                Thread.sleep(answer.delay());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            byte[] reply = ("answer " + answer.status()).getBytes(StandardCharsets.UTF_8);
            try {
                exchange.sendResponseHeaders(answer.status(), reply.length);
                exchange.getResponseBody().write(reply);
            } catch (IOException e) {
                // the sender gave up waiting (timeout test)
            }
            exchange.close();
        });
        server.start();
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    List<Request> at(String path) {
        return requests.stream().filter(r -> r.path().equals(path)).toList();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    static void await(String what, Duration timeout, BooleanSupplier condition) {
        Instant end = Instant.now().plus(timeout);
        while (!condition.getAsBoolean()) {
            assertThat(Instant.now()).as("waiting for " + what).isBefore(end);
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    /**
     * The Standard Webhooks check, written here from the specification rather than taken from the application: the
     * signatures (space-separated {@code v1,<base64>}) that HMAC-SHA256 over {@code id.timestamp.body} with the
     * base64-decoded key after {@code whsec_} reproduces.
     */
    static long validSignatures(Request request, String secret) {
        String content =
                request.header("webhook-id") + "." + request.header("webhook-timestamp") + "." + request.body();
        String expected;
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring("whsec_".length())), "HmacSHA256"));
            expected = Base64.getEncoder().encodeToString(mac.doFinal(content.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new AssertionError(e);
        }
        return java.util.Arrays.stream(request.header("webhook-signature").split(" "))
                .filter(s -> s.equals("v1," + expected))
                .count();
    }
}

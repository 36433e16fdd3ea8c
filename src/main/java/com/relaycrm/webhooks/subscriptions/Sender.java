package com.relaycrm.webhooks.subscriptions;

import com.relaycrm.platform.RequestAdmission;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.http.client.ClientHttpRequestInterceptor;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;

/** One HTTP attempt of one delivery, signed with the subscription's current (and still valid previous) secret. */
@Component
class Sender {

    static final int BODY_LIMIT = 1024;

    private final RestClient rest;
    private final UrlPolicy policy;
    private final Duration timeout;

    @Autowired
    Sender(WebhooksProperties properties, UrlPolicy policy, RequestAdmission admission) {
        this(properties, policy, admission.upstream());
    }

    Sender(WebhooksProperties properties, UrlPolicy policy, ClientHttpRequestInterceptor admission) {
        this.policy = policy;
        this.timeout = properties.timeout();
        // Redirects are not followed: a receiver could otherwise bounce a delivery to an internal address.
        HttpClient http = HttpClient.newBuilder()
                .connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                // plain HTTP/1.1: no h2c upgrade dance with receivers that would not speak HTTP/2 anyway
                .version(HttpClient.Version.HTTP_1_1)
                .build();
        JdkClientHttpRequestFactory factory = new JdkClientHttpRequestFactory(http);
        factory.setReadTimeout(timeout);
        this.rest = RestClient.builder()
                .requestFactory(factory)
                .requestInterceptor(admission)
                .build();
    }

    /** What one attempt got: a status (null when no answer came), the answer's first KB, or why it failed. */
    record Outcome(
            @Nullable Integer status,
            @Nullable String body,
            @Nullable String error,
            int latencyMs) {

        boolean succeeded() {
            Integer code = status;
            return code != null && code >= 200 && code < 300;
        }

        boolean gone() {
            Integer code = status;
            return code != null && code == 410;
        }
    }

    Outcome send(String url, List<String> secrets, Deliveries.Due due, long timestampSeconds) {
        long start = System.nanoTime();
        String refused = policy.addressProblem(url);
        if (refused != null) {
            return new Outcome(null, null, "url " + refused, 0);
        }
        StringBuilder signature = new StringBuilder();
        for (String secret : secrets) {
            if (!signature.isEmpty()) {
                signature.append(' ');
            }
            signature.append(Signatures.sign(secret, due.messageId(), timestampSeconds, due.body()));
        }
        try {
            return Objects.requireNonNull(rest.post()
                    .uri(URI.create(url))
                    .contentType(MediaType.APPLICATION_JSON)
                    .header("webhook-id", due.messageId())
                    .header("webhook-timestamp", Long.toString(timestampSeconds))
                    .header("webhook-signature", signature.toString())
                    .header("User-Agent", "Relay-Webhooks/1")
                    .body(due.body().getBytes(StandardCharsets.UTF_8))
                    .exchange((request, response) -> {
                        byte[] head = response.getBody().readNBytes(BODY_LIMIT);
                        return new Outcome(response.getStatusCode().value(), text(head), null, millisSince(start));
                    }));
        } catch (RestClientException | IllegalArgumentException e) {
            return new Outcome(null, null, describe(e), millisSince(start));
        }
    }

    private String describe(Exception e) {
        Throwable root = e;
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            String name = cause.getClass().getSimpleName();
            if (name.contains("Timeout")) {
                return "no answer within " + timeout.toMillis() + " ms";
            }
            if (cause instanceof java.net.ConnectException) {
                return "connection refused or unreachable";
            }
            root = cause;
            if (cause.getCause() == cause) {
                break;
            }
        }
        String message = root.getMessage();
        String name = root.getClass().getSimpleName();
        return message == null ? name : name + ": " + abbreviate(message);
    }

    private static String abbreviate(String text) {
        return text.length() > 200 ? text.substring(0, 200) : text;
    }

    /** The answer's first bytes as text; PostgreSQL text holds no NUL. */
    private static @Nullable String text(byte[] bytes) {
        if (bytes.length == 0) {
            return null;
        }
        return new String(bytes, StandardCharsets.UTF_8).replace('\0', '\uFFFD');
    }

    private static int millisSince(long start) {
        return (int) Math.min(Integer.MAX_VALUE, (System.nanoTime() - start) / 1_000_000);
    }
}

package com.relaycrm.integrations.github;

import com.relaycrm.integrations.UpstreamPauses;
import com.relaycrm.integrations.UpstreamPauses.Upstream;
import com.relaycrm.platform.RequestAdmission;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;

/**
 * One GET against GitHub with everything GitHub asks of a well-behaved client: the headers, the token, a bound on
 * requests in flight, timeouts, and the rate limits. Every GitHub client (gist scanner, developer profiles) goes
 * through this one set-up. Once GitHub says the limit is spent (primary limit) or asks us to slow down (secondary
 * limit), no request leaves this instance until the reset time ({@link UpstreamPauses}).
 */
@Component
public class GitHubHttp {

    private static final Logger log = LoggerFactory.getLogger(GitHubHttp.class);
    /** REST endpoints we call all count against "core"; the header tells us if GitHub thinks otherwise. */
    public static final String CORE = "core";

    private final GitHubProperties properties;
    private final Clock clock;
    private final RestClient rest;
    private final Semaphore inFlight;
    private final RequestAdmission admission;
    private final UpstreamPauses pauses;
    private final AtomicInteger secondaryStrikes = new AtomicInteger();
    private final AtomicReference<RateLimitSnapshot> lastSeen = new AtomicReference<>();
    private final AtomicInteger requestsSent = new AtomicInteger();

    public record Reply(int status, HttpHeaders headers, byte[] body) {}

    /** What the last response said about the primary limit; null fields when GitHub did not say. */
    public record RateLimitSnapshot(
            String resource,
            @Nullable Integer limit,
            @Nullable Integer remaining,
            @Nullable Instant resetAt,
            Instant observedAt) {}

    /** Thrown without any request sent (or after GitHub's refusal): the resource is blocked until {@code until}. */
    public static final class RateLimited extends Exception {
        private final Instant until;

        RateLimited(Instant until, String reason) {
            super(reason, null, false, false);
            this.until = until;
        }

        public Instant until() {
            return until;
        }
    }

    /** Network failure, timeout or an unreadable exchange. */
    public static final class Unavailable extends Exception {
        private final boolean timedOut;

        Unavailable(String message, boolean timedOut) {
            super(message, null, false, false);
            this.timedOut = timedOut;
        }

        /** True when GitHub did not answer within the read timeout (as opposed to a broken exchange). */
        public boolean timedOut() {
            return timedOut;
        }
    }

    public GitHubHttp(GitHubProperties properties, UpstreamPauses pauses, Clock clock, RequestAdmission admission) {
        this.properties = properties;
        this.admission = admission;
        this.pauses = pauses;
        this.clock = clock;
        // Redirects are followed; the JDK client drops Authorization on every redirect, so the token never follows.
        HttpClient http = HttpClient.newBuilder()
                .connectTimeout(properties.connectTimeout())
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
        JdkClientHttpRequestFactory factory = new JdkClientHttpRequestFactory(http);
        factory.setReadTimeout(properties.readTimeout());
        this.rest = RestClient.builder()
                .requestFactory(factory)
                .requestInterceptor(admission.upstream())
                .build();
        this.inFlight = new Semaphore(properties.maxInFlight(), true);
    }

    public String apiUrl() {
        return properties.apiUrl();
    }

    public boolean authenticated() {
        return properties.token() != null;
    }

    /** GitHub's primary limit for our requests: 5,000/hour with a token, 60/hour without. */
    public int hourlyLimit() {
        return authenticated() ? 5000 : 60;
    }

    public int pageCap() {
        return properties.pageCap();
    }

    public RateLimitSnapshot lastRateLimit() {
        return lastSeen.get();
    }

    /** The end of the pause in force for {@code resource}, or null; every endpoint we call counts as "core". */
    public @Nullable Instant blockedUntil(String resource) {
        return pauses.pausedUntil(Upstream.GITHUB).orElse(null);
    }

    /** Requests actually sent since start (for health and the benchmark). */
    public int requestsSent() {
        return requestsSent.get();
    }

    /** True when {@code uri} is on GitHub's API origin, so the token may travel with it. */
    public boolean sameOrigin(URI uri) {
        URI base = URI.create(properties.apiUrl());
        return base.getScheme().equalsIgnoreCase(String.valueOf(uri.getScheme()))
                && base.getHost().equalsIgnoreCase(String.valueOf(uri.getHost()))
                && effectivePort(base) == effectivePort(uri);
    }

    private static int effectivePort(URI uri) {
        return uri.getPort() != -1 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    public Reply get(URI uri, @Nullable String ifNoneMatch) throws RateLimited, Unavailable {
        Instant blocked = blockedUntil(CORE);
        if (blocked != null) {
            throw new RateLimited(blocked, "GitHub rate limit: no requests until " + blocked);
        }
        if (!admission.outside(this::takeSlot)) {
            throw new Unavailable("interrupted", false);
        }
        Reply reply;
        try {
            // Re-checked after waiting for a slot: another request may have hit the limit meanwhile.
            blocked = blockedUntil(CORE);
            if (blocked != null) {
                throw new RateLimited(blocked, "GitHub rate limit: no requests until " + blocked);
            }
            requestsSent.incrementAndGet();
            reply = rest.get()
                    .uri(uri)
                    .headers(headers -> {
                        headers.set(HttpHeaders.ACCEPT, "application/vnd.github+json");
                        headers.set("X-GitHub-Api-Version", "2022-11-28");
                        headers.set(HttpHeaders.USER_AGENT, properties.userAgent());
                        if (properties.token() != null && sameOrigin(uri)) {
                            headers.setBearerAuth(properties.token());
                        }
                        if (ifNoneMatch != null) {
                            headers.set(HttpHeaders.IF_NONE_MATCH, ifNoneMatch);
                        }
                    })
                    .exchange(
                            (request, response) -> new Reply(
                                    response.getStatusCode().value(),
                                    response.getHeaders(),
                                    response.getBody().readAllBytes()),
                            true);
        } catch (RestClientException e) {
            throw new Unavailable("GitHub unreachable: " + rootMessage(e), timedOut(e));
        } finally {
            inFlight.release();
        }
        observe(reply);
        return reply;
    }

    /** Waits for one of the in-flight slots; false when interrupted. */
    private boolean takeSlot() {
        try {
            inFlight.acquire();
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void observe(Reply reply) throws RateLimited {
        HttpHeaders headers = reply.headers();
        Instant now = clock.instant();
        String resource = headers.getFirst("x-ratelimit-resource");
        Integer limit = intHeader(headers, "x-ratelimit-limit");
        Integer remaining = intHeader(headers, "x-ratelimit-remaining");
        Long reset = longHeader(headers, "x-ratelimit-reset");
        Instant resetAt = reset == null ? null : Instant.ofEpochSecond(reset);
        if (limit != null || remaining != null) {
            lastSeen.set(new RateLimitSnapshot(resource == null ? CORE : resource, limit, remaining, resetAt, now));
        }
        int status = reply.status();
        boolean refused = status == 403 || status == 429;
        Duration retryAfter = retryAfter(headers.getFirst(HttpHeaders.RETRY_AFTER), now);
        if (refused && retryAfter != null) {
            block(now.plus(retryAfter), "secondary rate limit (retry-after)");
        } else if (refused && remaining != null && remaining == 0) {
            block(resetAt != null && resetAt.isAfter(now) ? resetAt : now.plusSeconds(60), "primary rate limit");
        } else if (status == 429
                || (refused
                        && new String(reply.body(), java.nio.charset.StandardCharsets.UTF_8)
                                .toLowerCase(java.util.Locale.ROOT)
                                .contains("rate limit"))) {
            // Secondary limit without retry-after: at least a minute, doubling while GitHub keeps refusing.
            int strikes = Math.min(secondaryStrikes.incrementAndGet(), 6);
            block(now.plusSeconds(60L << (strikes - 1)), "secondary rate limit");
        } else if (!refused && remaining != null && remaining == 0 && resetAt != null && resetAt.isAfter(now)) {
            // The last allowed request: honour the reset before GitHub has to refuse us.
            pauses.pause(Upstream.GITHUB, resetAt);
            return;
        } else {
            if (status < 400) {
                secondaryStrikes.set(0);
            }
            return;
        }
        Instant until = pauses.pausedUntil(Upstream.GITHUB).orElse(now);
        throw new RateLimited(until, "GitHub rate limit: no requests until " + until);
    }

    private void block(Instant until, String reason) {
        Instant inForce = pauses.pause(Upstream.GITHUB, until);
        log.warn("GitHub {}: pausing all GitHub requests until {}", reason, inForce);
    }

    private static boolean timedOut(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof java.net.http.HttpTimeoutException
                    || cause instanceof java.net.SocketTimeoutException) {
                return true;
            }
        }
        return false;
    }

    static @Nullable Duration retryAfter(@Nullable String value, Instant now) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            long seconds = Long.parseLong(value.trim());
            return Duration.ofSeconds(Math.max(1, Math.min(seconds, 24 * 3600)));
        } catch (NumberFormatException e) {
            try {
                Instant at = ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME)
                        .toInstant();
                return at.isAfter(now) ? Duration.between(now, at) : Duration.ofSeconds(1);
            } catch (RuntimeException unparsable) {
                return null;
            }
        }
    }

    private static @Nullable Integer intHeader(HttpHeaders headers, String name) {
        Long value = longHeader(headers, name);
        return value == null || value > Integer.MAX_VALUE || value < 0 ? null : value.intValue();
    }

    private static @Nullable Long longHeader(HttpHeaders headers, String name) {
        String value = headers.getFirst(name);
        if (value == null) {
            return null;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        return root.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}

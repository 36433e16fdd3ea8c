package com.relaycrm.integrations.bitbucket;

import com.relaycrm.integrations.BitbucketProfileApi;
import com.relaycrm.integrations.BitbucketProfileData;
import com.relaycrm.integrations.ProfileFetchFailure;
import com.relaycrm.integrations.ProfileFetchFailure.Kind;
import com.relaycrm.integrations.UpstreamPauses;
import com.relaycrm.integrations.UpstreamPauses.Upstream;
import com.relaycrm.platform.RequestAdmission;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Bitbucket Cloud 2.0 client for developer profiles: every page of a workspace's repositories and each public
 * repository's watcher count. Watcher requests start as soon as their page arrives (while the next page is fetched)
 * and run with bounded concurrency. {@code next} links are followed only on the configured host, at most {@code
 * pageCap} pages and never twice (Bitbucket is known to repeat {@code next} on the last page). After a 429 no request
 * leaves this instance for Bitbucket until the wait it asked for is over ({@link UpstreamPauses}).
 */
@Component
@EnableConfigurationProperties(BitbucketProperties.class)
class BitbucketProfileClient implements BitbucketProfileApi {

    private static final Logger log = LoggerFactory.getLogger(BitbucketProfileClient.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int WATCHER_PAGES_CAP = 20;

    private final BitbucketProperties settings;
    private final UpstreamPauses pauses;
    private final Clock clock;
    private final URI base;
    private final HttpClient http;
    private final RequestAdmission admission;
    private final AtomicInteger strikes = new AtomicInteger();

    BitbucketProfileClient(
            BitbucketProperties settings, UpstreamPauses pauses, Clock clock, RequestAdmission admission) {
        this.settings = settings;
        this.admission = admission;
        this.pauses = pauses;
        this.clock = clock;
        this.base = URI.create(settings.apiUrl());
        this.http = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(5))
                .followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1)
                .build();
    }

    private record PendingRepo(
            String slug,
            boolean fork,
            long sizeBytes,
            @Nullable String language,
            Future<Long> watchers) {}

    @Override
    public BitbucketProfileData fetch(String workspace) {
        String url = settings.apiUrl() + "/repositories/" + URLEncoder.encode(workspace, StandardCharsets.UTF_8)
                + "?pagelen=100";
        Semaphore permits = new Semaphore(settings.watchersConcurrency());
        List<PendingRepo> pending = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        int pages = 0;
        boolean truncated = false;
        // Stops pending watcher requests once one failed (cooperatively: interrupts are not used here).
        AtomicBoolean stop = new AtomicBoolean();
        try (ExecutorService parallel = Executors.newVirtualThreadPerTaskExecutor()) {
            try {
                while (url != null) {
                    if (pages == settings.pageCap() || !seen.add(url)) {
                        truncated = pages == settings.pageCap();
                        if (truncated) {
                            log.warn("Bitbucket repository pages stopped at the cap of {}", pages);
                        }
                        break;
                    }
                    JsonNode page = get(url, pages == 0, stop);
                    if (page == null) {
                        break; // a later page vanished: keep what the earlier pages gave
                    }
                    pages++;
                    int values = 0;
                    for (JsonNode repo : page.path("values").values()) {
                        values++;
                        if (repo.path("is_private").asBoolean(false)) {
                            continue; // a token may see private repositories; a public profile must not show them
                        }
                        String watchersUrl =
                                repo.path("links").path("watchers").path("href").asString("");
                        Future<Long> watchers = parallel.submit(() -> watchers(watchersUrl, permits, stop));
                        String language = repo.path("language").asString("").strip();
                        pending.add(new PendingRepo(
                                repo.path("slug").asString(repo.path("name").asString("")),
                                repo.hasNonNull("parent"),
                                repo.path("size").asLong(),
                                language.isEmpty() ? null : language,
                                watchers));
                    }
                    String next = page.path("next").asString("");
                    url = values == 0 || next.isEmpty() ? null : next;
                }
                List<BitbucketProfileData.Repo> repos = new ArrayList<>(pending.size());
                for (PendingRepo repo : pending) {
                    repos.add(new BitbucketProfileData.Repo(
                            repo.slug(), repo.fork(), await(repo.watchers()), repo.sizeBytes(), repo.language()));
                }
                return new BitbucketProfileData(workspace, repos, pages, truncated);
            } catch (RuntimeException failure) {
                stop.set(true);
                throw failure;
            }
        }
    }

    /** The watcher count: the envelope's {@code size} when given, otherwise the values counted page by page. */
    private long watchers(String href, Semaphore permits, AtomicBoolean stop) throws InterruptedException {
        if (href.isEmpty()) {
            return 0;
        }
        String url = href + (href.contains("?") ? "&" : "?") + "pagelen=100";
        long counted = 0;
        Set<String> seen = new HashSet<>();
        permits.acquire();
        try {
            for (int page = 0; url != null && page < WATCHER_PAGES_CAP && seen.add(url); page++) {
                JsonNode body = get(url, false, stop);
                if (body == null) {
                    return 0;
                }
                if (page == 0 && body.path("size").isIntegralNumber()) {
                    return body.path("size").asLong();
                }
                int values = body.path("values").size();
                counted += values;
                String next = body.path("next").asString("");
                url = values == 0 || next.isEmpty() ? null : next;
            }
            return counted;
        } finally {
            permits.release();
        }
    }

    /** A GET returning the JSON body; null for a 404 that does not mean the workspace is missing. */
    private @Nullable JsonNode get(String url, boolean workspacePage, AtomicBoolean stop) {
        if (stop.get()) {
            throw new ProfileFetchFailure(Kind.ERROR, "Bitbucket fetch abandoned", null);
        }
        Optional<Instant> paused = pauses.pausedUntil(Upstream.BITBUCKET);
        if (paused.isPresent()) {
            throw new ProfileFetchFailure(Kind.RATE_LIMITED, "Bitbucket rate limit reached", paused.get());
        }
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new ProfileFetchFailure(Kind.ERROR, "Bitbucket sent a link that is not a URL", null);
        }
        if (!sameOrigin(uri)) {
            throw new ProfileFetchFailure(Kind.ERROR, "Bitbucket sent a link to another host", null);
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(settings.requestTimeout())
                .header("Accept", "application/json")
                .header("User-Agent", "relay-profiles")
                .GET();
        if (settings.token() != null) {
            request.header("Authorization", "Bearer " + settings.token());
        }
        HttpResponse<byte[]> response = send(request.build());
        int status = response.statusCode();
        if (status == 404) {
            if (workspacePage) {
                throw new ProfileFetchFailure(Kind.NOT_FOUND, "Bitbucket has no workspace with this name", null);
            }
            return null; // a repository removed between the list and its watchers
        }
        if (status == 429) {
            Instant now = clock.instant();
            Instant asked = response.headers()
                    .firstValue("retry-after")
                    .map(value -> retryAt(value, now))
                    .orElse(null);
            // Without a retry-after: at least a minute, doubling while Bitbucket keeps refusing.
            Instant until =
                    asked != null ? asked : now.plusSeconds(60L << (Math.min(strikes.incrementAndGet(), 6) - 1));
            Instant inForce = pauses.pause(Upstream.BITBUCKET, until);
            log.warn("Bitbucket rate limit: pausing all Bitbucket requests until {}", inForce);
            throw new ProfileFetchFailure(Kind.RATE_LIMITED, "Bitbucket rate limit reached", inForce);
        }
        if (status < 200 || status > 299) {
            throw new ProfileFetchFailure(Kind.ERROR, "Bitbucket answered " + status, null);
        }
        strikes.set(0);
        try {
            return JSON.readTree(response.body());
        } catch (RuntimeException e) {
            throw new ProfileFetchFailure(Kind.ERROR, "Bitbucket sent a body that is not JSON", null);
        }
    }

    /** {@code Retry-After} as delay-seconds or an HTTP date (RFC 9110); null when unreadable. */
    static @Nullable Instant retryAt(String value, Instant now) {
        try {
            long seconds = Long.parseLong(value.strip());
            return now.plusSeconds(Math.max(1, Math.min(seconds, 24 * 3600)));
        } catch (NumberFormatException e) {
            try {
                Instant at = ZonedDateTime.parse(value.strip(), DateTimeFormatter.RFC_1123_DATE_TIME)
                        .toInstant();
                return at.isAfter(now) ? at : now.plusSeconds(1);
            } catch (RuntimeException unreadable) {
                return null;
            }
        }
    }

    private boolean sameOrigin(URI uri) {
        return base.getScheme().equalsIgnoreCase(String.valueOf(uri.getScheme()))
                && base.getHost().equalsIgnoreCase(String.valueOf(uri.getHost()))
                && effectivePort(base) == effectivePort(uri);
    }

    private static int effectivePort(URI uri) {
        return uri.getPort() != -1 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    private HttpResponse<byte[]> send(HttpRequest request) {
        return admission.outside(() -> sendNow(request));
    }

    private HttpResponse<byte[]> sendNow(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (HttpTimeoutException e) {
            throw new ProfileFetchFailure(Kind.TIMEOUT, "Bitbucket did not answer in time", null);
        } catch (IOException e) {
            throw new ProfileFetchFailure(Kind.ERROR, "Bitbucket could not be reached", null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProfileFetchFailure(Kind.TIMEOUT, "Bitbucket request was interrupted", null);
        }
    }

    private static <T> T await(Future<T> future) {
        try {
            return future.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ProfileFetchFailure failure) {
                throw failure;
            }
            Throwable cause = e.getCause();
            log.warn(
                    "Bitbucket profile fetch failed: {}",
                    cause == null ? "?" : cause.getClass().getSimpleName());
            throw new ProfileFetchFailure(Kind.ERROR, "Bitbucket answer could not be read", null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProfileFetchFailure(Kind.TIMEOUT, "Bitbucket request was interrupted", null);
        }
    }
}

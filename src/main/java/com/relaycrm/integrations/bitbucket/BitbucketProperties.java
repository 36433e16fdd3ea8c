package com.relaycrm.integrations.bitbucket;

import java.net.URI;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Bitbucket Cloud settings; environment variables {@code BITBUCKET_API_URL}, {@code BITBUCKET_TOKEN} (optional
 * access token, sent as a bearer token), {@code BITBUCKET_PAGE_CAP}, {@code BITBUCKET_WATCHERS_CONCURRENCY},
 * {@code BITBUCKET_REQUEST_TIMEOUT}.
 *
 * <p>{@code watchersConcurrency} bounds the watcher requests of one profile fetch (one per repository: Bitbucket's
 * list has no watcher count). The default 128 lets a whole page of 100 repositories start its watcher calls the moment
 * the page arrives, with room for stragglers of the previous page, so the watchers finish about one round trip after
 * the last page instead of queueing in waves (at 32, 300 repositories took 10 waves). Concurrency changes latency
 * only: the calls count against Bitbucket's hourly budget whatever their concurrency.
 */
@ConfigurationProperties("bitbucket")
public record BitbucketProperties(
        @DefaultValue("https://api.bitbucket.org/2.0") String apiUrl,
        @Nullable String token,
        @DefaultValue("30") int pageCap,
        @DefaultValue("128") int watchersConcurrency,
        @DefaultValue("10s") Duration requestTimeout) {

    public BitbucketProperties {
        URI uri;
        try {
            uri = URI.create(apiUrl.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("BITBUCKET_API_URL must be an absolute http(s) URL");
        }
        if (uri.getHost() == null || !("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()))) {
            throw new IllegalArgumentException("BITBUCKET_API_URL must be an absolute http(s) URL");
        }
        apiUrl = apiUrl.strip().replaceAll("/+$", "");
        token = token == null || token.isBlank() ? null : token.strip();
        if (pageCap < 1 || pageCap > 1000) {
            throw new IllegalArgumentException("BITBUCKET_PAGE_CAP must be between 1 and 1000");
        }
        if (watchersConcurrency < 1 || watchersConcurrency > 200) {
            throw new IllegalArgumentException("BITBUCKET_WATCHERS_CONCURRENCY must be between 1 and 200");
        }
        if (requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw new IllegalArgumentException("BITBUCKET_REQUEST_TIMEOUT must be positive");
        }
    }

    @Override
    public String toString() {
        return "BitbucketProperties[apiUrl=" + apiUrl + ", token=" + (token == null ? "none" : "***") + "]";
    }
}

package com.relaycrm.integrations.github;

import java.net.URI;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The one GitHub configuration, used by every GitHub client (gist scanner and developer profiles) through {@link
 * GitHubHttp}. Environment variables: {@code GITHUB_API_URL}, {@code GITHUB_TOKEN} (optional: 5,000 requests/hour
 * instead of 60), {@code GITHUB_MAX_IN_FLIGHT} (concurrent requests per instance; GitHub's secondary limit allows
 * 100), {@code GITHUB_PAGE_CAP}, {@code GITHUB_CONNECT_TIMEOUT}, {@code GITHUB_READ_TIMEOUT} (per request),
 * {@code GITHUB_USER_AGENT}, {@code GITHUB_COMMITS_CONCURRENCY} (profile commit counts, per profile).
 */
@ConfigurationProperties("github")
public record GitHubProperties(
        @DefaultValue("https://api.github.com") String apiUrl,
        @Nullable String token,
        @DefaultValue("20") int maxInFlight,
        @DefaultValue("30") int pageCap,
        @DefaultValue("PT5S") Duration connectTimeout,
        @DefaultValue("PT10S") Duration readTimeout,
        @DefaultValue("relay-crm") String userAgent,
        @DefaultValue("8") int commitsConcurrency) {

    public GitHubProperties {
        token = token == null || token.isBlank() ? null : token.strip();
        URI parsed;
        try {
            parsed = URI.create(apiUrl.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("GITHUB_API_URL '" + apiUrl + "' is not a URL");
        }
        if (parsed.getScheme() == null || !parsed.getScheme().matches("https?") || parsed.getHost() == null) {
            throw new IllegalArgumentException("GITHUB_API_URL '" + apiUrl + "' must be an http(s) URL");
        }
        apiUrl = apiUrl.strip().replaceAll("/+$", "");
        if (maxInFlight < 1 || maxInFlight > 100) {
            throw new IllegalArgumentException("GITHUB_MAX_IN_FLIGHT must be between 1 and 100");
        }
        if (pageCap < 1 || pageCap > 1000) {
            throw new IllegalArgumentException("GITHUB_PAGE_CAP must be between 1 and 1000");
        }
        if (connectTimeout.isNegative() || connectTimeout.isZero()) {
            throw new IllegalArgumentException("GITHUB_CONNECT_TIMEOUT must be positive");
        }
        if (readTimeout.isNegative() || readTimeout.isZero()) {
            throw new IllegalArgumentException("GITHUB_READ_TIMEOUT must be positive");
        }
        if (userAgent.isBlank()) {
            throw new IllegalArgumentException(
                    "GITHUB_USER_AGENT must not be blank (GitHub rejects requests without one)");
        }
        if (commitsConcurrency < 1 || commitsConcurrency > 100) {
            throw new IllegalArgumentException("GITHUB_COMMITS_CONCURRENCY must be between 1 and 100");
        }
    }

    @Override
    public String toString() {
        return "GitHubProperties[apiUrl=" + apiUrl + ", token=" + (token == null ? "none" : "***") + "]";
    }
}

package com.relaycrm.integrations.github;

import java.net.URI;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * GitHub REST settings: {@code GITHUB_API_URL}, {@code GITHUB_TOKEN} (optional) and the client's limits.
 * {@code maxInFlight} bounds concurrent requests (GitHub's secondary limit allows 100; we stay far below).
 */
@ConfigurationProperties("github")
public record GitHubHttpProperties(
        @DefaultValue("https://api.github.com") String apiUrl,
        String token,
        @DefaultValue("20") int maxInFlight,
        @DefaultValue("30") int pageCap,
        @DefaultValue("PT5S") Duration connectTimeout,
        @DefaultValue("PT15S") Duration readTimeout,
        @DefaultValue("relay-crm") String userAgent) {

    public GitHubHttpProperties {
        if (token != null && token.isBlank()) {
            token = null;
        }
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
            throw new IllegalArgumentException("github.max-in-flight must be 1-100");
        }
        if (pageCap < 1) {
            throw new IllegalArgumentException("github.page-cap must be >= 1");
        }
    }

    @Override
    public String toString() {
        return "GitHubHttpProperties[apiUrl=" + apiUrl + ", token=" + (token == null ? "none" : "***") + "]";
    }
}

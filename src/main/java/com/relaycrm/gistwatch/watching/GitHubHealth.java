package com.relaycrm.gistwatch.watching;

import com.relaycrm.integrations.GitHubGistClient;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/** Actuator component {@code github}: last scan and what GitHub last said about our rate limit. */
@Component("githubHealthIndicator")
class GitHubHealth implements HealthIndicator {

    private final GitHubGistClient github;
    private final WatchedUsers users;

    GitHubHealth(GitHubGistClient github, WatchedUsers users) {
        this.github = github;
        this.users = users;
    }

    @Override
    public Health health() {
        GitHubGistClient.RateLimitView limit = github.rateLimit();
        Health.Builder health = Health.up()
                .withDetail("authenticated", limit.authenticated())
                .withDetail("watched_users", users.watchedCount());
        users.lastScanAt()
                .ifPresent(
                        at -> health.withDetail("last_scan_at", at.toInstant().toString()));
        if (limit.limit() != null) {
            health.withDetail("rate_limit", limit.limit());
        }
        if (limit.remaining() != null) {
            health.withDetail("rate_limit_remaining", limit.remaining());
        }
        if (limit.resetAt() != null) {
            health.withDetail("rate_limit_reset_at", limit.resetAt().toString());
        }
        if (limit.blockedUntil() != null) {
            health.withDetail("paused_until", limit.blockedUntil().toString());
        }
        return health.build();
    }
}

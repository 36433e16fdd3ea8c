package com.relaycrm.platform.ratelimit;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Request budgets per token (per client IP without one), by route group. Groups are matched in order; the first
 * whose path patterns match the request applies, and {@code default} covers the rest. Override with e.g.
 * {@code RELAY_RATELIMIT_GROUPS_DEFAULT_CAPACITY=120}.
 */
@ConfigurationProperties("relay.rate-limit")
record RateLimitProperties(
        @DefaultValue("true") boolean enabled,
        Map<String, Group> groups,
        @DefaultValue("PT0.2S") Duration syncInterval,
        @DefaultValue("20") long maxUnsyncedTokens) {

    static final String AUTH_FAILURE = "auth-failure";

    record Group(long capacity, @DefaultValue("PT1M") Duration period, List<String> paths) {

        Group {
            if (capacity < 1) {
                throw new IllegalStateException("relay.rate-limit group capacity must be >= 1");
            }
            if (period == null || period.isZero() || period.isNegative()) {
                throw new IllegalStateException("relay.rate-limit group period must be positive");
            }
            paths = paths == null ? List.of() : List.copyOf(paths);
        }
    }

    RateLimitProperties {
        Map<String, Group> merged = new LinkedHashMap<>();
        merged.put("import", new Group(60, Duration.ofMinutes(1), List.of("/api/v1/atendimento/import_csv")));
        merged.put(
                "upstream", new Group(600, Duration.ofMinutes(1), List.of("/api/v1/aggregate", "/api/v1/github/scan")));
        merged.put("default", new Group(12_000, Duration.ofMinutes(1), List.of()));
        // No paths: charged only for a failed bearer authentication, per address (RequestBudget.chargeAuthFailure).
        merged.put(AUTH_FAILURE, new Group(30, Duration.ofMinutes(1), List.of()));
        if (groups != null) {
            merged.putAll(groups);
        }
        groups = merged;
    }
}

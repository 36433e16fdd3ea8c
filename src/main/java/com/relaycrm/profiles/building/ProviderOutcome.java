package com.relaycrm.profiles.building;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * One provider's answer for one name. {@code payload} is the provider data as JSON text (GitHubProfileData or
 * BitbucketProfileData), only when {@code status} is OK.
 */
record ProviderOutcome(
        SourceStatus status,
        @Nullable String payload,
        @Nullable String detail,
        @Nullable Instant retryAt,
        @Nullable Instant fetchedAt,
        boolean cached) {

    static ProviderOutcome failed(SourceStatus status, String detail, @Nullable Instant retryAt, Instant at) {
        return new ProviderOutcome(status, null, detail, retryAt, at, false);
    }

    ProviderOutcome fromCache() {
        return new ProviderOutcome(status, payload, detail, retryAt, fetchedAt, true);
    }
}

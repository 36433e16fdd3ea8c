package com.relaycrm.profiles.building;

import java.util.Map;

/**
 * The merged profile ({@code outcome == PROFILE}) or why there is none; {@code body} always carries the
 * {@code sources} block.
 */
public record AggregateResult(Outcome outcome, Map<String, Object> body, long retryAfterSeconds) {

    public enum Outcome {
        PROFILE,
        NOT_FOUND,
        RATE_LIMITED,
        UPSTREAM_FAILED,
        UPSTREAM_TIMEOUT
    }
}

package com.relaycrm.profiles.web;

/**
 * The body of {@code POST /api/v1/aggregate} (documentation only; the controller reads JSON field by field). Either
 * {@code username} (one name on both providers, the seed's form) or {@code github} and {@code bitbucket}; a
 * per-provider name overrides {@code username}.
 */
record AggregateRequest(
        String username,
        String github,
        String bitbucket,
        Boolean includeForks,
        Boolean refresh,
        Boolean includeCommits) {}

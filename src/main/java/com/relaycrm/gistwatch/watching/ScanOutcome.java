package com.relaycrm.gistwatch.watching;

import org.jspecify.annotations.Nullable;

/** What one user's scan found: the resulting status and how many gists were new. */
public record ScanOutcome(
        String login, String status, int newGists, @Nullable String detail) {}

package com.relaycrm.gistwatch.watching;

import java.time.OffsetDateTime;

/** A watched (or once watched) GitHub user as the API shows it. */
public record WatchedUser(
        String login,
        boolean watched,
        String status,
        String statusDetail,
        OffsetDateTime lastScanAt,
        int gistCount,
        OffsetDateTime addedAt,
        String source) {}

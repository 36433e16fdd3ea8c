package com.relaycrm.gistwatch.watching;

import java.time.OffsetDateTime;
import org.jspecify.annotations.Nullable;

/** A watched (or once watched) GitHub user as the API shows it. */
public record WatchedUser(
        String login,
        boolean watched,
        String status,
        @Nullable String statusDetail,
        @Nullable OffsetDateTime lastScanAt,
        int gistCount,
        OffsetDateTime addedAt,
        String source) {}

package com.relaycrm.integrations;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** Why GitHub or Bitbucket could not give a profile. The message is safe to show to clients (no tokens, no bodies). */
public class ProfileFetchFailure extends RuntimeException {

    public enum Kind {
        NOT_FOUND,
        RATE_LIMITED,
        ERROR,
        TIMEOUT
    }

    private final Kind kind;
    private final @Nullable Instant retryAt;

    public ProfileFetchFailure(Kind kind, String message, @Nullable Instant retryAt) {
        super(message, null, false, false);
        this.kind = kind;
        this.retryAt = retryAt;
    }

    public Kind kind() {
        return kind;
    }

    /** When a rate-limited caller may try again; null for other kinds. */
    public @Nullable Instant retryAt() {
        return retryAt;
    }
}

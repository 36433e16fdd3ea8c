package com.relaycrm.integrations;

import java.time.Instant;

/** Why GitHub or Bitbucket could not give a profile. The message is safe to show to clients (no tokens, no bodies). */
public class ProfileFetchFailure extends RuntimeException {

    public enum Kind {
        NOT_FOUND,
        RATE_LIMITED,
        ERROR,
        TIMEOUT
    }

    private final Kind kind;
    private final Instant retryAt;

    public ProfileFetchFailure(Kind kind, String message, Instant retryAt) {
        super(message, null, false, false);
        this.kind = kind;
        this.retryAt = retryAt;
    }

    public Kind kind() {
        return kind;
    }

    /** When a rate-limited caller may try again; null for other kinds. */
    public Instant retryAt() {
        return retryAt;
    }
}

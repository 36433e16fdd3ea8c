package com.relaycrm.integrations;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/** A Pipedrive call that did not succeed, classified by what the caller should do next. */
public class PipedriveFailure extends RuntimeException {

    public enum Kind {
        /** 401: the key is wrong or revoked; stop calling until it changes. */
        UNAUTHORIZED,
        /** 429: wait {@link #retryAfter()} before any further call. */
        RATE_LIMITED,
        /** 5xx, timeout, network error or an answer we could not read: the outcome is unknown, retry later. */
        TRANSIENT,
        /** Any other 4xx: this request will never succeed as sent. */
        REJECTED
    }

    private final Kind kind;
    private final int status;
    private final @Nullable Duration retryAfter;

    public PipedriveFailure(Kind kind, int status, String message, @Nullable Duration retryAfter) {
        super(message, null, false, false);
        this.kind = kind;
        this.status = status;
        this.retryAfter = retryAfter;
    }

    public Kind kind() {
        return kind;
    }

    /** The HTTP status, 0 when no response came. */
    public int status() {
        return status;
    }

    public @Nullable Duration retryAfter() {
        return retryAfter;
    }
}

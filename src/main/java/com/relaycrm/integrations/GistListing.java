package com.relaycrm.integrations;

import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** The outcome of listing one user's gists; every failure is a value, never an exception. */
public sealed interface GistListing {

    /** The list changed (or no ETag was sent). {@code complete} is false when the page cap or a failure cut it. */
    record Changed(List<GitHubGist> gists, @Nullable String etag, boolean complete) implements GistListing {
        public Changed {
            gists = List.copyOf(gists);
        }
    }

    /** 304: nothing changed since the ETag we sent. */
    record NotModified() implements GistListing {}

    record UserNotFound() implements GistListing {}

    /** GitHub's limit is exhausted; nothing was (or will be) sent before {@code until}. */
    record RateLimited(Instant until, String reason) implements GistListing {}

    record Failed(String reason) implements GistListing {}
}

package com.relaycrm.sales.shared;

import com.relaycrm.platform.ApiProblem;
import org.jspecify.annotations.Nullable;

/** Versions as strong ETags, and the {@code If-Match} check for optimistic locking. */
public final class Etags {

    private Etags() {}

    public static String of(long version) {
        return "\"" + version + "\"";
    }

    /** Passes when there is no {@code If-Match}, when it is {@code *}, or when one of its tags is the current one. */
    public static void requireMatch(@Nullable String ifMatch, long currentVersion) {
        if (ifMatch == null || ifMatch.isBlank()) {
            return;
        }
        String current = of(currentVersion);
        for (String tag : ifMatch.split(",")) {
            String candidate = tag.strip();
            if (candidate.startsWith("W/")) {
                candidate = candidate.substring(2);
            }
            if (candidate.equals("*") || candidate.equals(current)) {
                return;
            }
        }
        throw ApiProblem.preconditionFailed("The record has changed since you read it (current ETag " + current + ")")
                .with("current_version", currentVersion);
    }
}

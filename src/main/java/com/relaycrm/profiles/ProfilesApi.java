package com.relaycrm.profiles;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** What other modules (e.g. sales, to attach a developer profile to a lead) may ask of profiles. */
public interface ProfilesApi {

    /** The last merged profile built for a name (the single name, or either provider's name); never fetches. */
    Optional<DeveloperProfile> lastBuilt(String name);

    /**
     * Builds (or serves from cache) the merged profile of the GitHub account and Bitbucket workspace called
     * {@code name}, as {@code POST /api/v1/aggregate} with {@code username}: a profile as long as one provider
     * answers, otherwise the outcome the API answers as 404, 429, 502 or 504. A name outside the providers' safe
     * set is a 422 problem, as in the API.
     */
    ProfileLookup lookup(String name, boolean refresh);

    record ProfileLookup(
            Outcome outcome,
            @Nullable DeveloperProfile profile,
            Map<String, Object> figures,
            List<Source> sources,
            long retryAfterSeconds) {

        public ProfileLookup {
            sources = List.copyOf(sources);
        }
    }

    /** The API's answer for each outcome: its status code and detail. */
    enum Outcome {
        PROFILE(200, "The merged profile"),
        NOT_FOUND(404, "Neither GitHub nor Bitbucket has this name"),
        RATE_LIMITED(429, "GitHub and Bitbucket are both rate limiting Relay; retry later"),
        UPSTREAM_FAILED(502, "Neither GitHub nor Bitbucket gave a usable answer"),
        UPSTREAM_TIMEOUT(504, "GitHub and Bitbucket could not both be read in time");

        private final int status;
        private final String detail;

        Outcome(int status, String detail) {
            this.status = status;
            this.detail = detail;
        }

        public int status() {
            return status;
        }

        public String detail() {
            return detail;
        }
    }

    /**
     * One provider's part: {@code status} ok, not_found, rate_limited or error (a timeout is an error with
     * {@code timedOut}); {@code unavailable} for a figure the provider cannot give.
     */
    record Source(
            String provider,
            String status,
            @Nullable String name,
            boolean cached,
            boolean timedOut,
            @Nullable String detail,
            @Nullable Long retryAfterSeconds) {}
}

package com.relaycrm.profiles;

import java.time.Instant;
import java.util.List;

/** The headline figures of a merged profile, as built by {@code POST /api/v1/aggregate}. */
public record DeveloperProfile(
        String githubName,
        String bitbucketName,
        long followersCount,
        long publicReposCount,
        long forkedReposCount,
        long watcherCount,
        List<String> languages,
        Instant builtAt) {

    public DeveloperProfile {
        languages = List.copyOf(languages);
    }
}

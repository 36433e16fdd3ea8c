package com.relaycrm.integrations;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One Bitbucket workspace as the profile needs it. Bitbucket has no stars, topics or follower counts; {@code
 * language} is Bitbucket's lower-case spelling, null when empty.
 */
public record BitbucketProfileData(String workspace, List<Repo> repos, int pages, boolean truncated) {

    public BitbucketProfileData {
        repos = List.copyOf(repos);
    }

    public record Repo(
            String slug,
            boolean fork,
            long watchers,
            long sizeBytes,
            @Nullable String language) {}
}

package com.relaycrm.integrations;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One GitHub account as the profile needs it. {@code stargazers} are stars (GitHub calls them "watchers" in the
 * repository list too). {@code commitsCount} is null unless commits were asked for.
 */
public record GitHubProfileData(
        String login,
        String type,
        long followers,
        long following,
        long publicRepos,
        long starsGiven,
        List<Repo> repos,
        @Nullable Long commitsCount,
        int pages,
        boolean truncated) {

    public GitHubProfileData {
        repos = List.copyOf(repos);
    }

    public record Repo(
            String name,
            boolean fork,
            long stargazers,
            long forks,
            long openIssues,
            long sizeKb,
            @Nullable String language,
            List<String> topics) {

        public Repo {
            topics = topics == null ? List.of() : List.copyOf(topics);
        }
    }
}

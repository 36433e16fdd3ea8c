package com.relaycrm.profiles.building;

import static org.assertj.core.api.Assertions.assertThat;

import com.relaycrm.integrations.BitbucketProfileData;
import com.relaycrm.integrations.GitHubProfileData;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProfileFiguresTest {

    private static GitHubProfileData.Repo gh(String name, boolean fork, long stars, String language, String... topics) {
        return new GitHubProfileData.Repo(name, fork, stars, 0, 2, 10, language, List.of(topics));
    }

    private final GitHubProfileData github = new GitHubProfileData(
            "Dev",
            "User",
            3,
            1,
            4,
            9,
            List.of(
                    gh("a", false, 5, "JavaScript", "Web", "web"),
                    gh("b", false, 1, null),
                    gh("c", true, 50, "TypeScript", "fork-only"),
                    gh("d", false, 0, " ")),
            null,
            1,
            false);

    private final BitbucketProfileData bitbucket = new BitbucketProfileData(
            "dev",
            List.of(
                    new BitbucketProfileData.Repo("x", false, 4, 1536, "javascript"),
                    new BitbucketProfileData.Repo("y", false, 1, 512, null),
                    new BitbucketProfileData.Repo("z", true, 7, 1024, "typescript")),
            1,
            false);

    @Test
    void gitHubSpellingWinsWhicheverProviderComesFirst() {
        Map<String, Object> merged = new ProfileFigures(false)
                .addBitbucket(bitbucket)
                .addGitHub(github)
                .merged(false);
        assertThat(merged.get("languages")).isEqualTo(List.of("JavaScript"));
        assertThat(merged.get("language_count")).isEqualTo(Map.of("JavaScript", 2L));
        assertThat(merged.get("topics_list")).isEqualTo(List.of("web"));
        assertThat(merged.get("topics")).isEqualTo(Map.of("web", 2L));
    }

    @Test
    void forksAreCountedApartAndLeftOutOfTotalsUnlessIncluded() {
        Map<String, Object> merged = new ProfileFigures(false)
                .addGitHub(github)
                .addBitbucket(bitbucket)
                .merged(false);
        assertThat(merged.get("public_repos_count")).isEqualTo(5L);
        assertThat(merged.get("original_repos_count")).isEqualTo(5L);
        assertThat(merged.get("forked_repos_count")).isEqualTo(2L);
        assertThat(merged.get("watcher_count")).isEqualTo(6L + 5L);
        assertThat(merged.get("stars_received")).isEqualTo(6L);
        assertThat(merged.get("stars_given")).isEqualTo(9L);
        assertThat(merged.get("followers_count")).isEqualTo(3L);
        assertThat(merged.get("open_issues_count")).isEqualTo(6L);
        assertThat(merged.get("size_kb")).isEqualTo(30L + 2L);

        Map<String, Object> withForks = new ProfileFigures(true)
                .addGitHub(github)
                .addBitbucket(bitbucket)
                .merged(false);
        assertThat(withForks.get("forked_repos_count")).isEqualTo(2L);
        assertThat(withForks.get("watcher_count")).isEqualTo(56L + 12L);
        assertThat(withForks.get("languages")).isEqualTo(List.of("JavaScript", "TypeScript"));
        assertThat(withForks.get("size_kb")).isEqualTo(40L + 3L);
    }

    @Test
    void commitsAppearOnlyWhenAskedAndKnown() {
        GitHubProfileData withCommits = new GitHubProfileData("Dev", "User", 0, 0, 0, 0, List.of(), 41L, 1, false);
        assertThat(new ProfileFigures(false).addGitHub(withCommits).merged(true))
                .containsEntry("commits_count", 41L);
        assertThat(new ProfileFigures(false).addGitHub(withCommits).merged(false))
                .doesNotContainKey("commits_count");
        assertThat(new ProfileFigures(false).addGitHub(github).merged(true)).doesNotContainKey("commits_count");
    }
}

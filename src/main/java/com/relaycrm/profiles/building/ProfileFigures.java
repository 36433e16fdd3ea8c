package com.relaycrm.profiles.building;

import com.relaycrm.integrations.BitbucketProfileData;
import com.relaycrm.integrations.GitHubProfileData;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The seed's arithmetic, fixed: repository counts split original/forked; forks left out of language, topic, star,
 * watcher, issue and size totals unless asked for; languages merged case-insensitively keeping GitHub's spelling,
 * never a null language; Bitbucket sizes (bytes) converted to KB.
 */
final class ProfileFigures {

    private long originalRepos;
    private long forkedRepos;
    private long followers;
    private long starsReceived;
    private long starsGiven;
    private long bitbucketWatchers;
    private long openIssues;
    private long sizeBytesFromBitbucket;
    private long sizeKbFromGitHub;
    private Long commits;
    // lower-case key -> spelling shown, and counts, in first-seen order
    private final Map<String, String> languageSpelling = new LinkedHashMap<>();
    private final Map<String, Long> languageCounts = new LinkedHashMap<>();
    private final Map<String, Long> topicCounts = new LinkedHashMap<>();
    private final java.util.Set<String> gitHubSpelled = new java.util.HashSet<>();

    private final boolean includeForks;

    ProfileFigures(boolean includeForks) {
        this.includeForks = includeForks;
    }

    ProfileFigures addGitHub(GitHubProfileData github) {
        followers += github.followers();
        starsGiven += github.starsGiven();
        if (github.commitsCount() != null) {
            commits = (commits == null ? 0 : commits) + github.commitsCount();
        }
        for (GitHubProfileData.Repo repo : github.repos()) {
            if (count(repo.fork())) {
                starsReceived += repo.stargazers();
                openIssues += repo.openIssues();
                sizeKbFromGitHub += repo.sizeKb();
                language(repo.language(), true);
                repo.topics().forEach(this::topic);
            }
        }
        return this;
    }

    ProfileFigures addBitbucket(BitbucketProfileData bitbucket) {
        for (BitbucketProfileData.Repo repo : bitbucket.repos()) {
            if (count(repo.fork())) {
                bitbucketWatchers += repo.watchers();
                sizeBytesFromBitbucket += repo.sizeBytes();
                language(repo.language(), false);
            }
        }
        return this;
    }

    /** Counts the repository as original or fork; true when it enters the totals. */
    private boolean count(boolean fork) {
        if (fork) {
            forkedRepos++;
        } else {
            originalRepos++;
        }
        return !fork || includeForks;
    }

    /** GitHub's spelling wins whatever the order providers are added in ("JavaScript" over "javascript"). */
    private void language(String language, boolean fromGitHub) {
        if (language == null || language.isBlank()) {
            return;
        }
        String key = language.strip().toLowerCase(Locale.ROOT);
        if (fromGitHub ? gitHubSpelled.add(key) : !languageSpelling.containsKey(key)) {
            languageSpelling.put(key, language.strip());
        }
        languageCounts.merge(key, 1L, Long::sum);
    }

    private void topic(String topic) {
        if (topic == null || topic.isBlank()) {
            return;
        }
        topicCounts.merge(topic.strip().toLowerCase(Locale.ROOT), 1L, Long::sum);
    }

    long sizeKb() {
        return sizeKbFromGitHub + Math.round(sizeBytesFromBitbucket / 1024.0);
    }

    /** Most used first, then alphabetical. */
    private static List<String> ranked(Map<String, Long> counts) {
        List<String> keys = new ArrayList<>(counts.keySet());
        keys.sort(Comparator.comparingLong((String key) -> -counts.getOrDefault(key, 0L))
                .thenComparing(Comparator.naturalOrder()));
        return keys;
    }

    Map<String, Long> languageCount() {
        Map<String, Long> result = new LinkedHashMap<>();
        ranked(languageCounts).forEach(key -> result.put(languageSpelling.get(key), languageCounts.get(key)));
        return result;
    }

    Map<String, Long> topics() {
        Map<String, Long> result = new LinkedHashMap<>();
        ranked(topicCounts).forEach(key -> result.put(key, topicCounts.get(key)));
        return result;
    }

    /** The seed's "arg-data" members plus the challenge's full field set. */
    Map<String, Object> merged(boolean withCommits) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("followers_count", followers);
        data.put("public_repos_count", originalRepos);
        data.put("forked_repos_count", forkedRepos);
        data.put("watcher_count", starsReceived + bitbucketWatchers);
        Map<String, Long> languageCount = languageCount();
        Map<String, Long> topics = topics();
        data.put("languages", List.copyOf(languageCount.keySet()));
        data.put("topics_list", List.copyOf(topics.keySet()));
        data.put("language_count", languageCount);
        data.put("topics", topics);
        data.put("original_repos_count", originalRepos);
        data.put("stars_received", starsReceived);
        data.put("stars_given", starsGiven);
        data.put("open_issues_count", openIssues);
        data.put("size_kb", sizeKb());
        if (withCommits && commits != null) {
            data.put("commits_count", commits);
        }
        return data;
    }

    Map<String, Object> gitHubOwn(GitHubProfileData github, boolean withCommits) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("name", github.login());
        data.put("account_type", github.type());
        data.put("followers_count", followers);
        data.put("following_count", github.following());
        data.put("public_repos_count", originalRepos);
        data.put("forked_repos_count", forkedRepos);
        data.put("original_repos_count", originalRepos);
        data.put("stars_received", starsReceived);
        data.put("watcher_count", starsReceived);
        data.put("stars_given", starsGiven);
        data.put("open_issues_count", openIssues);
        data.put("size_kb", sizeKb());
        Map<String, Long> languageCount = languageCount();
        Map<String, Long> topics = topics();
        data.put("languages", List.copyOf(languageCount.keySet()));
        data.put("language_count", languageCount);
        data.put("topics_list", List.copyOf(topics.keySet()));
        data.put("topics", topics);
        if (withCommits && commits != null) {
            data.put("commits_count", commits);
        }
        data.put("pages", github.pages());
        data.put("truncated", github.truncated());
        return data;
    }

    Map<String, Object> bitbucketOwn(BitbucketProfileData bitbucket) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("name", bitbucket.workspace());
        data.put("public_repos_count", originalRepos);
        data.put("forked_repos_count", forkedRepos);
        data.put("original_repos_count", originalRepos);
        data.put("watcher_count", bitbucketWatchers);
        data.put("size_kb", sizeKb());
        Map<String, Long> languageCount = languageCount();
        data.put("languages", List.copyOf(languageCount.keySet()));
        data.put("language_count", languageCount);
        data.put(
                "unavailable",
                List.of("followers_count", "stars_received", "stars_given", "topics", "open_issues_count"));
        data.put("pages", bitbucket.pages());
        data.put("truncated", bitbucket.truncated());
        return data;
    }
}

package com.relaycrm.integrations;

/**
 * Reads the public figures of one GitHub account for the developer profile: the account, its own repositories
 * (every page) and the number of repositories it starred.
 */
public interface GitHubProfileApi {

    /**
     * @param etags conditional-request memory: bodies are re-used when GitHub answers 304 Not Modified
     * @param includeCommits also count the account's commits to its own non-fork repositories (one call per repo)
     * @throws ProfileFetchFailure when the account is missing, rate limited or GitHub fails
     */
    GitHubProfileData fetch(String login, boolean includeCommits, GitHubProfileEtagStore etags);
}

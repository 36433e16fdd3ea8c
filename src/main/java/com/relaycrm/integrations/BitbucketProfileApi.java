package com.relaycrm.integrations;

/** Reads the public repositories of one Bitbucket workspace with each repository's watcher count. */
public interface BitbucketProfileApi {

    /** @throws ProfileFetchFailure when the workspace is missing, rate limited or Bitbucket fails */
    BitbucketProfileData fetch(String workspace);
}

package com.relaycrm.profiles.building;

/** A validated aggregate request; names are already lower-cased provider-safe names. */
public record AggregateCommand(
        String githubName, String bitbucketName, boolean includeForks, boolean refresh, boolean includeCommits) {}

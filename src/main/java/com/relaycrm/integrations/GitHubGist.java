package com.relaycrm.integrations;

import java.time.OffsetDateTime;
import java.util.List;

/** One public gist as GitHub lists it; {@code files} keep GitHub's order. */
public record GitHubGist(
        String id,
        String ownerLogin,
        String description,
        String htmlUrl,
        List<File> files,
        OffsetDateTime createdAt,
        OffsetDateTime updatedAt) {

    public GitHubGist {
        files = List.copyOf(files);
    }

    public record File(String filename, String language, Long size, String rawUrl) {}
}

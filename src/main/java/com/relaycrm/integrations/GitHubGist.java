package com.relaycrm.integrations;

import java.time.OffsetDateTime;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** One public gist as GitHub lists it; {@code files} keep GitHub's order. */
public record GitHubGist(
        String id,
        String ownerLogin,
        @Nullable String description,
        String htmlUrl,
        List<File> files,
        @Nullable OffsetDateTime createdAt,
        @Nullable OffsetDateTime updatedAt) {

    public GitHubGist {
        files = List.copyOf(files);
    }

    public record File(
            String filename,
            @Nullable String language,
            @Nullable Long size,
            @Nullable String rawUrl) {}
}

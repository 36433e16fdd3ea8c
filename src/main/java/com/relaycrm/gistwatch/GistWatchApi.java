package com.relaycrm.gistwatch;

import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What other modules (the web console) may ask of the gist watch: the watch list and its changes, with the rules
 * and problems of {@code /api/v1/github/watched-users}, and the latest gists with their deal-sync state.
 */
public interface GistWatchApi {

    /** Watched users by login, each with its scan status and last scan. */
    List<WatchedAccount> watchedUsers();

    /** Watches a login: 422 problem if it is not a valid GitHub login, 409 if already watched. */
    WatchedAccount watch(@Nullable String login);

    /** Stops watching a login (its gists stay): 404 problem if it is not watched. */
    void unwatch(@Nullable String login);

    /** The {@code limit} most recently stored gists, newest first, with their deal-sync state. */
    List<Gist> recentGists(int limit);

    /** {@code status}: pending (not scanned yet), ok, not_found, rate_limited or error. */
    record WatchedAccount(
            String login,
            String status,
            @Nullable String statusDetail,
            @Nullable Instant lastScanAt,
            int gistCount,
            Instant addedAt) {}

    /** {@code syncStatus}: pending, synced or failed; {@code dealId} once synced. */
    record Gist(
            String id,
            String login,
            @Nullable String description,
            String htmlUrl,
            @Nullable Instant createdAt,
            String syncStatus,
            @Nullable Long dealId,
            @Nullable String syncError) {}
}

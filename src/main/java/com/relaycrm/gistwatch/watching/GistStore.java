package com.relaycrm.gistwatch.watching;

import com.relaycrm.integrations.GitHubGist;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.json.JsonMapper;

/** Stores new gists (by id, once) with their deal-sync outbox rows, in the transaction that records the scan. */
@Repository
class GistStore {

    /** Serialises gist inserts so that every committed snapshot holds a prefix of {@code seq} (see V5_1). */
    static final long INSERT_LOCK = 0x6769_7374_5F73_6571L;

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final JdbcClient jdbc;
    private final Clock clock;

    GistStore(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** Stores the gists not seen before and marks the user scanned; returns how many were new. */
    @Transactional
    public int recordListing(String loginKey, List<GitHubGist> gists, @Nullable String etag, @Nullable String detail) {
        OffsetDateTime now = OffsetDateTime.now(clock);
        // A lost commit only loses this scan's result, ETag included, so the next scan fetches it again.
        jdbc.sql("SET LOCAL synchronous_commit TO OFF").update();
        jdbc.sql("""
                UPDATE gistwatch_user SET status = 'ok', status_detail = :detail, last_scan_at = :now,
                    first_scanned_at = coalesce(first_scanned_at, :now), etag = :etag
                WHERE login_key = :key""")
                .param("detail", detail)
                .param("now", now)
                .param("etag", etag)
                .param("key", loginKey)
                .update();
        int inserted = 0;
        List<GitHubGist> candidates = newGists(gists);
        if (!candidates.isEmpty()) {
            jdbc.sql("SELECT pg_advisory_xact_lock(:lock)")
                    .param("lock", INSERT_LOCK)
                    .query(Object.class)
                    .list();
            List<String> ids = jdbc.sql("""
                    INSERT INTO gistwatch_gist (id, login_key, login, description, html_url, files, created_at,
                        first_seen_at)
                    SELECT g.id, :key, g.login, g.description, g.html_url, CAST(g.files AS jsonb),
                        CAST(g.created_at AS timestamptz), :now
                    FROM unnest(CAST(:ids AS text[]), CAST(:logins AS text[]), CAST(:descriptions AS text[]),
                                CAST(:urls AS text[]), CAST(:files AS text[]), CAST(:created AS text[]))
                         AS g(id, login, description, html_url, files, created_at)
                    ORDER BY g.id
                    ON CONFLICT (id) DO NOTHING
                    RETURNING id""")
                    .param("key", loginKey)
                    .param("now", now)
                    .param("ids", candidates.stream().map(GitHubGist::id).toArray(String[]::new))
                    .param(
                            "logins",
                            candidates.stream().map(GitHubGist::ownerLogin).toArray(String[]::new))
                    .param(
                            "descriptions",
                            candidates.stream().map(GitHubGist::description).toArray(String[]::new))
                    .param("urls", candidates.stream().map(GitHubGist::htmlUrl).toArray(String[]::new))
                    .param(
                            "files",
                            candidates.stream().map(GistStore::filesJson).toArray(String[]::new))
                    .param(
                            "created",
                            candidates.stream()
                                    .map(g -> g.createdAt() == null
                                            ? null
                                            : g.createdAt().toString())
                                    .toArray(String[]::new))
                    .query((rs, row) -> rs.getString("id"))
                    .list();
            if (!ids.isEmpty()) {
                jdbc.sql("""
                        INSERT INTO gistwatch_deal_sync (gist_id, status, next_attempt_at, updated_at)
                        SELECT unnest(CAST(:ids AS text[])), 'pending', :now, :now""")
                        .param("ids", ids.toArray(String[]::new))
                        .param("now", now)
                        .update();
            }
            inserted = ids.size();
        }
        jdbc.sql("""
                UPDATE gistwatch_user SET gist_count = (SELECT count(*) FROM gistwatch_gist WHERE login_key = :key)
                WHERE login_key = :key""").param("key", loginKey).update();
        return inserted;
    }

    /** The gists whose id is not stored yet, deduplicated, in id order. */
    private List<GitHubGist> newGists(List<GitHubGist> gists) {
        if (gists.isEmpty()) {
            return List.of();
        }
        Map<String, GitHubGist> byId = new LinkedHashMap<>();
        gists.forEach(g -> byId.putIfAbsent(g.id(), g));
        Set<String> known = new HashSet<>(jdbc.sql("SELECT id FROM gistwatch_gist WHERE id = ANY(:ids)")
                .param("ids", byId.keySet().toArray(String[]::new))
                .query(String.class)
                .list());
        List<GitHubGist> fresh = new ArrayList<>();
        byId.values().stream().filter(g -> !known.contains(g.id())).forEach(fresh::add);
        fresh.sort(Comparator.comparing(GitHubGist::id));
        return fresh;
    }

    private static String filesJson(GitHubGist gist) {
        List<Map<String, Object>> files = new ArrayList<>();
        for (GitHubGist.File file : gist.files()) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("filename", file.filename());
            json.put("language", file.language());
            json.put("size", file.size());
            json.put("raw_url", file.rawUrl());
            files.add(json);
        }
        return JSON.writeValueAsString(files);
    }
}

package com.relaycrm.gistwatch.visits;

import com.relaycrm.gistwatch.watching.GistwatchProperties;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * "Gists new since my last visit" sessions, kept in PostgreSQL so they survive restarts and work on every instance.
 * A session remembers, per view (all users, or one user), the highest gist {@code seq} it has been shown; gist
 * inserts are serialised so a committed snapshot always holds a prefix of {@code seq}, and no gist is skipped.
 */
@Service
class GistSessions {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final JdbcClient jdbc;
    private final GistwatchProperties properties;
    private final Clock clock;

    GistSessions(JdbcClient jdbc, GistwatchProperties properties, Clock clock) {
        this.jdbc = jdbc;
        this.properties = properties;
        this.clock = clock;
    }

    record GistView(
            String id,
            String login,
            String description,
            String htmlUrl,
            @Nullable Instant createdAt,
            Instant firstSeenAt,
            @Nullable Long dealId,
            String syncStatus) {}

    /** The gists to show and the session token to (re)set; {@code fresh} when a new session was started. */
    record Visit(String token, boolean fresh, List<GistView> gists) {}

    /**
     * One visit: a known, live session gets the gists first seen since its previous visit to this view; anything
     * else (no cookie, garbage, unknown or expired) starts a new session and gets every gist.
     */
    @Transactional
    Visit visit(@Nullable String cookie, @Nullable String loginKey) {
        OffsetDateTime now = OffsetDateTime.now(clock);
        String view = loginKey == null ? "" : loginKey;
        String token;
        boolean known = false;
        if (cookie != null && !cookie.isEmpty() && cookie.length() <= 200) {
            // The row lock taken here serialises concurrent visits of one session.
            known = jdbc.sql("""
                    UPDATE gistwatch_session SET last_seen_at = :now
                    WHERE token_hash = :hash AND last_seen_at > :cutoff""")
                            .param("now", now)
                            .param("hash", hash(cookie))
                            .param("cutoff", now.minus(properties.sessionTtl()))
                            .update()
                    == 1;
        }
        if (known && cookie != null) {
            token = cookie;
        } else {
            token = newToken();
            jdbc.sql("INSERT INTO gistwatch_session (token_hash, created_at, last_seen_at) VALUES (:hash, :now, :now)")
                    .param("hash", hash(token))
                    .param("now", now)
                    .update();
        }
        byte[] hash = hash(token);
        long newest = jdbc.sql("SELECT coalesce(max(seq), 0) FROM gistwatch_gist")
                .query(Long.class)
                .single();
        long horizon = known
                ? jdbc.sql(
                                "SELECT horizon FROM gistwatch_session_horizon WHERE token_hash = :hash AND view_key = :view")
                        .param("hash", hash)
                        .param("view", view)
                        .query(Long.class)
                        .optional()
                        .orElse(0L)
                : 0L;
        List<GistView> gists = jdbc.sql("""
                SELECT g.id, g.login, g.description, g.html_url, g.created_at, g.first_seen_at, s.deal_id, s.status
                FROM gistwatch_gist g LEFT JOIN gistwatch_deal_sync s ON s.gist_id = g.id
                WHERE g.seq > :horizon AND g.seq <= :newest AND (:view = '' OR g.login_key = :view)
                ORDER BY g.first_seen_at, g.id""")
                .param("horizon", horizon)
                .param("newest", newest)
                .param("view", view)
                .query((rs, row) -> {
                    long deal = rs.getLong("deal_id");
                    Long dealId = rs.wasNull() ? null : deal;
                    OffsetDateTime created = rs.getObject("created_at", OffsetDateTime.class);
                    return new GistView(
                            rs.getString("id"),
                            rs.getString("login"),
                            rs.getString("description"),
                            rs.getString("html_url"),
                            created == null ? null : created.toInstant(),
                            rs.getObject("first_seen_at", OffsetDateTime.class).toInstant(),
                            dealId,
                            rs.getString("status"));
                })
                .list();
        jdbc.sql("""
                INSERT INTO gistwatch_session_horizon (token_hash, view_key, horizon) VALUES (:hash, :view, :newest)
                ON CONFLICT (token_hash, view_key)
                DO UPDATE SET horizon = greatest(gistwatch_session_horizon.horizon, EXCLUDED.horizon)""")
                .param("hash", hash)
                .param("view", view)
                .param("newest", newest)
                .update();
        return new Visit(token, !known, gists);
    }

    /** Deletes sessions idle longer than the TTL; returns how many. */
    int purgeExpired() {
        return jdbc.sql("DELETE FROM gistwatch_session WHERE last_seen_at < :cutoff")
                .param("cutoff", OffsetDateTime.now(clock).minus(properties.sessionTtl()))
                .update();
    }

    private static String newToken() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static byte[] hash(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

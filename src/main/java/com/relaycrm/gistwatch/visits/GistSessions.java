package com.relaycrm.gistwatch.visits;

import com.relaycrm.gistwatch.watching.GistwatchProperties;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * "Gists new since my last visit" sessions, kept in PostgreSQL so they survive restarts and work on every instance.
 * A session remembers, per view (all users, or one user), the highest gist {@code seq} it has been shown; gist
 * inserts are serialised so a committed snapshot always holds a prefix of {@code seq}, and no gist is skipped.
 *
 * <p>A first visit stores nothing: its cookie carries the view and the {@code seq} it was shown, signed with a key
 * kept in the database ({@link PendingCookie}). Only a client that comes back with such a cookie gets a session row,
 * so a caller that never keeps cookies (or a flood of them) costs no rows.
 */
@Service
class GistSessions {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final JdbcClient jdbc;
    private final GistwatchProperties properties;
    private final Clock clock;
    private volatile byte @Nullable [] cookieKey;

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
        if (!known && cookie != null && cookie.length() <= 200) {
            known = storeReturning(cookie, now);
        }
        long newest = jdbc.sql("SELECT coalesce(max(seq), 0) FROM gistwatch_gist")
                .query(Long.class)
                .single();
        if (known && cookie != null) {
            token = cookie;
        } else {
            token = PendingCookie.issue(key(), view, newest, now.toInstant());
        }
        byte[] hash = hash(token);
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
        if (known) {
            raiseHorizon(hash, view, newest);
        }
        return new Visit(token, !known, gists);
    }

    /**
     * A client back with the signed cookie of its first visit: its session is stored now, with the horizon that
     * visit was shown. False when the cookie is not one of ours or has expired.
     */
    private boolean storeReturning(String cookie, OffsetDateTime now) {
        PendingCookie.Claims claims = PendingCookie.verify(key(), cookie).orElse(null);
        if (claims == null || claims.issuedAt().isBefore(now.toInstant().minus(properties.sessionTtl()))) {
            return false;
        }
        byte[] hash = hash(cookie);
        // A row this cookie already has counts only while it is live: a session idle past the TTL starts over,
        // whatever the cookie's own age says.
        int stored = jdbc.sql("""
                INSERT INTO gistwatch_session (token_hash, created_at, last_seen_at) VALUES (:hash, :created, :now)
                ON CONFLICT (token_hash) DO UPDATE SET last_seen_at = EXCLUDED.last_seen_at
                WHERE gistwatch_session.last_seen_at > :cutoff""")
                .param("hash", hash)
                .param("created", OffsetDateTime.ofInstant(claims.issuedAt(), now.getOffset()))
                .param("now", now)
                .param("cutoff", now.minus(properties.sessionTtl()))
                .update();
        if (stored == 0) {
            return false;
        }
        // Serialises concurrent second visits of one cookie, as the UPDATE in visit() does for stored sessions.
        jdbc.sql("SELECT 1 FROM gistwatch_session WHERE token_hash = :hash FOR UPDATE")
                .param("hash", hash)
                .query(Integer.class)
                .optional();
        raiseHorizon(hash, claims.view(), claims.horizon());
        return true;
    }

    private void raiseHorizon(byte[] hash, String view, long horizon) {
        jdbc.sql("""
                INSERT INTO gistwatch_session_horizon (token_hash, view_key, horizon) VALUES (:hash, :view, :newest)
                ON CONFLICT (token_hash, view_key)
                DO UPDATE SET horizon = greatest(gistwatch_session_horizon.horizon, EXCLUDED.horizon)""")
                .param("hash", hash)
                .param("view", view)
                .param("newest", horizon)
                .update();
    }

    private byte[] key() {
        byte[] key = cookieKey;
        if (key == null) {
            byte[] candidate = new byte[32];
            RANDOM.nextBytes(candidate);
            jdbc.sql("INSERT INTO gistwatch_cookie_key (id, key) VALUES (1, :key) ON CONFLICT DO NOTHING")
                    .param("key", candidate)
                    .update();
            key = jdbc.sql("SELECT key FROM gistwatch_cookie_key WHERE id = 1")
                    .query(byte[].class)
                    .single();
            cookieKey = key;
        }
        return key;
    }

    /** Deletes sessions idle longer than the TTL; returns how many. */
    int purgeExpired() {
        return jdbc.sql("DELETE FROM gistwatch_session WHERE last_seen_at < :cutoff")
                .param("cutoff", OffsetDateTime.now(clock).minus(properties.sessionTtl()))
                .update();
    }

    static byte[] hash(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

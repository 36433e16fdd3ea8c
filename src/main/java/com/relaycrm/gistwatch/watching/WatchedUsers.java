package com.relaycrm.gistwatch.watching;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The watch list in {@code gistwatch_user}; every change is one atomic statement. */
@Repository
public class WatchedUsers {

    private final JdbcClient jdbc;
    private final Clock clock;

    WatchedUsers(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** Watches {@code login}; empty when it is already watched. */
    Optional<WatchedUser> watch(String login) {
        return jdbc.sql("""
                INSERT INTO gistwatch_user (login_key, login, watched, source, added_at)
                VALUES (:key, :login, TRUE, 'api', :now)
                ON CONFLICT (login_key) DO UPDATE SET watched = TRUE, source = 'api', login = EXCLUDED.login,
                    added_at = EXCLUDED.added_at
                WHERE NOT gistwatch_user.watched
                RETURNING *""")
                .param("key", GitHubLogins.key(login))
                .param("login", login)
                .param("now", now())
                .query(WatchedUsers::view)
                .optional();
    }

    /** Stops watching; false when the login was not watched. An explicit removal survives restarts. */
    boolean unwatch(String loginKey) {
        return jdbc.sql("UPDATE gistwatch_user SET watched = FALSE, source = 'api' WHERE login_key = :key AND watched")
                        .param("key", loginKey)
                        .update()
                == 1;
    }

    /**
     * Applies the environment's list at start-up: its users are watched unless an operator removed them through
     * the API; users only the previous environment list watched are dropped.
     */
    void seedFromEnvironment(List<String> logins) {
        String[] given = logins.toArray(String[]::new);
        String[] keys = logins.stream().map(GitHubLogins::key).toArray(String[]::new);
        jdbc.sql("""
                INSERT INTO gistwatch_user (login_key, login, watched, source, added_at)
                SELECT k, l, TRUE, 'env', :now FROM unnest(CAST(:keys AS text[]), CAST(:logins AS text[])) AS u(k, l)
                ON CONFLICT (login_key) DO UPDATE SET watched = TRUE
                WHERE gistwatch_user.source = 'env' AND NOT gistwatch_user.watched""")
                .param("keys", keys)
                .param("logins", given)
                .param("now", now())
                .update();
        jdbc.sql(
                        "UPDATE gistwatch_user SET watched = FALSE WHERE source = 'env' AND watched AND login_key <> ALL(:keys)")
                .param("keys", keys)
                .update();
    }

    public Optional<WatchedUser> find(String loginKey) {
        return jdbc.sql("SELECT * FROM gistwatch_user WHERE login_key = :key")
                .param("key", loginKey)
                .query(WatchedUsers::view)
                .optional();
    }

    public List<WatchedUser> watched() {
        return jdbc.sql("SELECT * FROM gistwatch_user WHERE watched ORDER BY login_key")
                .query(WatchedUsers::view)
                .list();
    }

    public List<String> watchedLogins() {
        // login is NOT NULL; a row mapper says so where query(String.class) could not.
        return jdbc.sql("SELECT login FROM gistwatch_user WHERE watched ORDER BY login_key")
                .query((rs, row) -> rs.getString("login"))
                .list();
    }

    /** Logins whose gists were listed successfully at least once, watched or not. */
    public List<String> everScannedLogins() {
        return jdbc.sql("SELECT login FROM gistwatch_user WHERE first_scanned_at IS NOT NULL ORDER BY login_key")
                .query((rs, row) -> rs.getString("login"))
                .list();
    }

    public int watchedCount() {
        return jdbc.sql("SELECT count(*) FROM gistwatch_user WHERE watched")
                .query(Integer.class)
                .single();
    }

    /** Most recent scan of any user, for health. */
    public Optional<OffsetDateTime> lastScanAt() {
        return jdbc.sql("SELECT max(last_scan_at) AS at FROM gistwatch_user")
                .query((rs, row) -> Optional.ofNullable(rs.getObject("at", OffsetDateTime.class)))
                .single();
    }

    @Nullable
    String etag(String loginKey) {
        return jdbc.sql("SELECT etag FROM gistwatch_user WHERE login_key = :key")
                .param("key", loginKey)
                .query((rs, row) -> Optional.ofNullable(rs.getString("etag")))
                .optional()
                .flatMap(e -> e)
                .orElse(null);
    }

    /** Records a scan that did not change the gist list (304, 404, rate limit, error). */
    void recordScan(String loginKey, String status, @Nullable String detail, boolean clearEtag) {
        jdbc.sql("""
                UPDATE gistwatch_user SET status = :status, status_detail = :detail, last_scan_at = :now,
                    first_scanned_at = CASE WHEN :status = 'ok' THEN coalesce(first_scanned_at, :now)
                                            ELSE first_scanned_at END,
                    etag = CASE WHEN :clear THEN NULL ELSE etag END
                WHERE login_key = :key""")
                .param("status", status)
                .param("detail", detail)
                .param("now", now())
                .param("clear", clearEtag)
                .param("key", loginKey)
                .update();
    }

    private OffsetDateTime now() {
        return OffsetDateTime.now(clock);
    }

    static WatchedUser view(ResultSet rs, int row) throws SQLException {
        return new WatchedUser(
                rs.getString("login"),
                rs.getBoolean("watched"),
                rs.getString("status"),
                rs.getString("status_detail"),
                rs.getObject("last_scan_at", OffsetDateTime.class),
                rs.getInt("gist_count"),
                rs.getObject("added_at", OffsetDateTime.class),
                rs.getString("source"));
    }
}

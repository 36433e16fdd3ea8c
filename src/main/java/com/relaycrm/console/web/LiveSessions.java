package com.relaycrm.console.web;

import com.relaycrm.messaging.MessagingApi;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import java.time.Clock;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Vouches for the console's open event streams: a stream stays open while its session row exists and has not
 * expired, so signing out (or any invalidation) ends it on whichever instance holds it.
 */
@Component
public class LiveSessions implements MessagingApi.StreamGuard {

    private final JdbcClient jdbc;
    private final Clock clock;

    LiveSessions(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** The key a stream opened by {@code request} is guarded by: its session's id (null without a session). */
    public static @Nullable String key(HttpServletRequest request) {
        HttpSession session = request.getSession(false);
        return session == null ? null : session.getId();
    }

    @Override
    public Set<String> stillValid(Set<String> keys) {
        if (keys.isEmpty()) {
            return Set.of();
        }
        return Set.copyOf(jdbc.sql("""
                SELECT session_id FROM console_session
                WHERE session_id = ANY(CAST(:ids AS bpchar[])) AND expiry_time > :now""")
                .param("ids", keys.toArray(String[]::new))
                .param("now", clock.millis())
                .query((rs, row) -> rs.getString("session_id").strip())
                .list());
    }
}

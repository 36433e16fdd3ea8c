package com.relaycrm.gistwatch.deals;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The shared state of the Pipedrive integration (one row), so every instance honours a 401 or 429. */
@Repository
class PipedriveState {

    record Snapshot(
            @Nullable String unauthorizedKey,
            @Nullable OffsetDateTime unauthorizedAt,
            @Nullable OffsetDateTime pausedUntil,
            @Nullable OffsetDateTime failingSince,
            @Nullable String lastError,
            @Nullable OffsetDateTime lastSuccessAt) {}

    private final JdbcClient jdbc;
    private final Clock clock;

    PipedriveState(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    Snapshot read() {
        return jdbc.sql("SELECT * FROM gistwatch_pipedrive_state")
                .query((rs, row) -> new Snapshot(
                        rs.getString("unauthorized_key"), rs.getObject("unauthorized_at", OffsetDateTime.class),
                        rs.getObject("paused_until", OffsetDateTime.class),
                                rs.getObject("failing_since", OffsetDateTime.class),
                        rs.getString("last_error"), rs.getObject("last_success_at", OffsetDateTime.class)))
                .single();
    }

    void unauthorized(String keyFingerprint, String error) {
        jdbc.sql(
                        "UPDATE gistwatch_pipedrive_state SET unauthorized_key = :key, unauthorized_at = :now, last_error = :error")
                .param("key", keyFingerprint)
                .param("now", now())
                .param("error", error)
                .update();
    }

    /** A different key is configured than the one Pipedrive rejected: try again. */
    void clearUnauthorized() {
        jdbc.sql("UPDATE gistwatch_pipedrive_state SET unauthorized_key = NULL, unauthorized_at = NULL")
                .update();
    }

    void pauseUntil(Instant until, String error) {
        jdbc.sql("""
                UPDATE gistwatch_pipedrive_state SET paused_until = greatest(coalesce(paused_until, :until), :until),
                    last_error = :error""")
                .param("until", OffsetDateTime.ofInstant(until, clock.getZone()))
                .param("error", error)
                .update();
    }

    void failing(String error) {
        jdbc.sql(
                        "UPDATE gistwatch_pipedrive_state SET failing_since = coalesce(failing_since, :now), last_error = :error")
                .param("now", now())
                .param("error", error)
                .update();
    }

    void succeeded() {
        jdbc.sql("UPDATE gistwatch_pipedrive_state SET failing_since = NULL, last_success_at = :now")
                .param("now", now())
                .update();
    }

    private OffsetDateTime now() {
        return OffsetDateTime.now(clock);
    }
}

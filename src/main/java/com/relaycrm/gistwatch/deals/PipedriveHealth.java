package com.relaycrm.gistwatch.deals;

import java.time.Clock;
import java.time.OffsetDateTime;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * Actuator component {@code pipedrive}: {@code ok}, {@code disabled} (no key), {@code unauthorized} (the key was
 * rejected) or {@code failing} (5xx/timeouts, or paused by a 429). Only a rejected key is DOWN: it needs an
 * operator, while the others heal by themselves.
 */
@Component("pipedriveHealthIndicator")
class PipedriveHealth implements HealthIndicator {

    private final DealSync dealSync;
    private final PipedriveConnection connection;
    private final PipedriveState state;
    private final Clock clock;

    PipedriveHealth(DealSync dealSync, PipedriveConnection connection, PipedriveState state, Clock clock) {
        this.dealSync = dealSync;
        this.connection = connection;
        this.state = state;
        this.clock = clock;
    }

    @Override
    public Health health() {
        if (connection.account().isEmpty()) {
            return Health.up().withDetail("state", "disabled").build();
        }
        PipedriveState.Snapshot snapshot = state.read();
        DealSync.Counts counts = dealSync.counts();
        String fingerprint = connection.account().get().keyFingerprint();
        boolean unauthorized = fingerprint.equals(snapshot.unauthorizedKey());
        OffsetDateTime pausedUntil = snapshot.pausedUntil();
        boolean paused = pausedUntil != null && pausedUntil.toInstant().isAfter(clock.instant());
        String name = unauthorized ? "unauthorized" : snapshot.failingSince() != null || paused ? "failing" : "ok";
        Health.Builder health = unauthorized ? Health.down() : Health.up();
        health.withDetail("state", name)
                .withDetail("pending", counts.pending())
                .withDetail("synced", counts.synced())
                .withDetail("failed", counts.failed());
        if (paused && pausedUntil != null) {
            health.withDetail("paused_until", pausedUntil.toInstant().toString());
        }
        if (!name.equals("ok") && snapshot.lastError() != null) {
            health.withDetail("last_error", snapshot.lastError());
        }
        if (snapshot.lastSuccessAt() != null) {
            health.withDetail(
                    "last_success_at", snapshot.lastSuccessAt().toInstant().toString());
        }
        return health.build();
    }
}

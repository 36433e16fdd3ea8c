package com.relaycrm.profiles.building;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Keeps the cache tables from growing with every name ever asked about: provider answers expired for a week and
 * etags not refreshed for a week go (merged profiles stay: GET /api/v1/profiles serves them). It runs after an
 * upstream fetch, at most every six hours per instance; deletes are idempotent, so instances need no coordination.
 * (A db-scheduler recurring task would be the natural home, but the platform scheduler currently rejects
 * {@code Tasks.recurring} beans as duplicates; see the module report.)
 */
@Component
class CachePurge {

    static final Duration RETENTION = Duration.ofDays(7);
    static final Duration INTERVAL = Duration.ofHours(6);

    private final JdbcClient jdbc;
    private final Clock clock;
    private final AtomicReference<Instant> lastRun = new AtomicReference<>(Instant.MIN);

    CachePurge(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    void afterFetch() {
        Instant now = clock.instant();
        Instant last = lastRun.get();
        if (now.isAfter(last.plus(INTERVAL)) && lastRun.compareAndSet(last, now)) {
            purge(now);
        }
    }

    /** Returns the number of rows removed. */
    int purge(Instant now) {
        Timestamp before = Timestamp.from(now.minus(RETENTION));
        int answers = jdbc.sql("""
                        delete from profiles_provider_snapshot
                         where expires_at < :before and (lease_until is null or lease_until < :now)
                        """)
                .param("before", before)
                .param("now", Timestamp.from(now))
                .update();
        int etags = jdbc.sql("delete from profiles_github_etag where stored_at < :before")
                .param("before", before)
                .update();
        return answers + etags;
    }
}

package com.relaycrm.profiles.building;

import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.FixedDelay;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Keeps the cache tables from growing with every name ever asked about: provider answers expired for a week and
 * etags not refreshed for a week go (merged profiles stay: GET /api/v1/profiles serves them). A recurring
 * db-scheduler task runs it every six hours on one instance of the cluster.
 */
@Component
class CachePurge {

    @Bean
    static RecurringTask<Void> profilesCachePurge(CachePurge purge, Clock clock) {
        return Tasks.recurring("profiles-cache-purge", FixedDelay.of(INTERVAL))
                .execute((instance, context) -> purge.purge(clock.instant()));
    }

    static final Duration RETENTION = Duration.ofDays(7);
    static final Duration INTERVAL = Duration.ofHours(6);

    private final JdbcClient jdbc;

    CachePurge(JdbcClient jdbc) {
        this.jdbc = jdbc;
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

package com.relaycrm.gistwatch.visits;

import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.task.helper.RecurringTaskWithPersistentSchedule;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.relaycrm.gistwatch.watching.GistwatchProperties;
import com.relaycrm.gistwatch.watching.Periodic;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;

@Configuration(proxyBeanMethods = false)
class SessionPurgeTaskConfiguration {

    private static final Logger log = LoggerFactory.getLogger(SessionPurgeTaskConfiguration.class);

    @Bean
    RecurringTaskWithPersistentSchedule<Periodic> gistSessionPurgeTask(@Lazy GistSessions sessions) {
        return Tasks.recurringWithPersistentSchedule("gistwatch-session-purge", Periodic.class)
                .execute((instance, context) -> {
                    int purged = sessions.purgeExpired();
                    if (purged > 0) {
                        log.info("Purged {} expired /getGists session(s)", purged);
                    }
                });
    }

    @Bean
    ApplicationRunner gistSessionPurgeSchedule(
            @Lazy SchedulerClient scheduler,
            RecurringTaskWithPersistentSchedule<Periodic> gistSessionPurgeTask,
            GistwatchProperties properties,
            Clock clock) {
        return args ->
                Periodic.ensure(scheduler, gistSessionPurgeTask, properties.sessionPurgeInterval(), clock.instant());
    }
}

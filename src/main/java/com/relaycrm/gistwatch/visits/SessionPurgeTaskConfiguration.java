package com.relaycrm.gistwatch.visits;

import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.FixedDelay;
import com.relaycrm.gistwatch.watching.GistwatchProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;

@Configuration(proxyBeanMethods = false)
class SessionPurgeTaskConfiguration {

    private static final Logger log = LoggerFactory.getLogger(SessionPurgeTaskConfiguration.class);

    @Bean
    RecurringTask<Void> gistSessionPurgeTask(@Lazy GistSessions sessions, GistwatchProperties properties) {
        return Tasks.recurring("gistwatch-session-purge", FixedDelay.of(properties.sessionPurgeInterval()))
                .execute((instance, context) -> {
                    int purged = sessions.purgeExpired();
                    if (purged > 0) {
                        log.info("Purged {} expired /getGists session(s)", purged);
                    }
                });
    }
}

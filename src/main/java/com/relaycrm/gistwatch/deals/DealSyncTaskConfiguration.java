package com.relaycrm.gistwatch.deals;

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
class DealSyncTaskConfiguration {

    private static final Logger log = LoggerFactory.getLogger(DealSyncTaskConfiguration.class);

    /** One cluster-wide drain at a time; a failing drain is simply retried at the next tick. */
    @Bean
    RecurringTaskWithPersistentSchedule<Periodic> gistDealSyncTask(@Lazy DealSync dealSync) {
        return Tasks.recurringWithPersistentSchedule("gistwatch-deal-sync", Periodic.class)
                .execute((instance, context) -> {
                    try {
                        DealSync.Run run = dealSync.drain();
                        if (run.synced() + run.failed() + run.retrying() > 0) {
                            log.info(
                                    "Deal sync: {} synced, {} failed, {} retrying{}",
                                    run.synced(),
                                    run.failed(),
                                    run.retrying(),
                                    run.stopped() == null ? "" : " (" + run.stopped() + ")");
                        }
                    } catch (RuntimeException e) {
                        log.error("Deal sync drain failed", e);
                    }
                });
    }

    @Bean
    ApplicationRunner gistDealSyncSchedule(
            @Lazy SchedulerClient scheduler,
            RecurringTaskWithPersistentSchedule<Periodic> gistDealSyncTask,
            GistwatchProperties properties,
            Clock clock) {
        return args -> Periodic.ensure(
                scheduler,
                gistDealSyncTask,
                properties.dealSyncInterval(),
                clock.instant().plus(properties.dealSyncInterval()));
    }
}

package com.relaycrm.gistwatch.deals;

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
class DealSyncTaskConfiguration {

    private static final Logger log = LoggerFactory.getLogger(DealSyncTaskConfiguration.class);

    /** One cluster-wide drain at a time; a failing drain is simply retried at the next tick. */
    @Bean
    RecurringTask<Void> gistDealSyncTask(@Lazy DealSync dealSync, GistwatchProperties properties) {
        return Tasks.recurring("gistwatch-deal-sync", FixedDelay.of(properties.dealSyncInterval()))
                .execute((instance, context) -> {
                    try {
                        DealSync.Run run = dealSync.drain();
                        if (run.synced() + run.failed() + run.retrying() > 0) {
                            log.info("Deal sync: {} synced, {} failed, {} retrying{}", run.synced(), run.failed(),
                                    run.retrying(), run.stopped() == null ? "" : " (" + run.stopped() + ")");
                        }
                    } catch (RuntimeException e) {
                        log.error("Deal sync drain failed", e);
                    }
                });
    }
}

package com.relaycrm.webhooks.subscriptions;

import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.task.helper.CustomTask;
import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.FixedDelay;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;
import org.springframework.stereotype.Component;

/**
 * The delivery jobs: one db-scheduler execution per enabled subscription ({@code webhooks-delivery}, instance id =
 * subscription id) that reschedules itself while the subscription lives, and a recurring keeper that recreates any
 * that went missing (a subscription enabled on another path, a crash between commit and scheduling).
 */
@Configuration(proxyBeanMethods = false)
class WebhookJobs {

    static final String DELIVERY_TASK = "webhooks-delivery";
    /** Dead delivery rows (beyond 1 % of the live ones) that make the vacuum task clean the table. */
    static final long VACUUM_AFTER_DEAD_ROWS = 5_000;

    private static final Logger log = LoggerFactory.getLogger(WebhookJobs.class);

    @Bean
    CustomTask<Void> webhooksDeliveryTask(@Lazy DeliveryPump pump, WebhooksProperties properties) {
        return Tasks.custom(DELIVERY_TASK, Void.class).execute((instance, context) -> {
            Instant next;
            try {
                next = pump.run(
                        Long.parseLong(instance.getId()),
                        () -> context.getSchedulerState().isShuttingDown());
            } catch (RuntimeException e) {
                log.warn("Webhook deliveries of subscription {} failed; retrying", instance.getId(), e);
                next = Instant.now().plus(properties.pollInterval().multipliedBy(5));
            }
            @Nullable Instant when = next;
            return (complete, operations) -> {
                if (when == null) {
                    operations.remove();
                } else {
                    operations.reschedule(complete, when);
                }
            };
        });
    }

    @Bean
    RecurringTask<Void> webhooksKeeperTask(@Lazy Pumps pumps, WebhooksProperties properties) {
        return Tasks.recurring("webhooks-keeper", FixedDelay.of(properties.keeperInterval()))
                .execute((instance, context) -> pumps.ensureAll());
    }

    /** Keeps the delivery queue's pending index free of dead entries when autovacuum does not (see the method). */
    @Bean
    RecurringTask<Void> webhooksVacuumTask(@Lazy Deliveries deliveries) {
        return Tasks.recurring("webhooks-vacuum", FixedDelay.of(Duration.ofSeconds(10)))
                .execute((instance, context) -> deliveries.vacuumIfNeeded(VACUUM_AFTER_DEAD_ROWS));
    }

    /** The delivery log keeps finished deliveries for {@code RELAY_WEBHOOKS_RETENTION}; pending ones are kept. */
    @Bean
    RecurringTask<Void> webhooksRetentionTask(
            @Lazy Deliveries deliveries, @Lazy Subscriptions subscriptions, WebhooksProperties properties) {
        return Tasks.recurring("webhooks-retention", FixedDelay.of(Duration.ofHours(1)))
                .execute((instance, context) -> {
                    OffsetDateTime cutoff = subscriptions.now().minus(properties.retention());
                    long stragglers = deliveries.purgeDeleted(cutoff);
                    if (stragglers > 0) {
                        log.info("Webhook delivery log: {} deliveries of deleted subscriptions deleted", stragglers);
                    }
                    long deleted = deliveries.purge(cutoff);
                    if (deleted > 0) {
                        log.info(
                                "Webhook delivery log: {} finished deliveries older than {} deleted",
                                deleted,
                                properties.retention());
                    }
                });
    }

    /** Starts delivery jobs; call after the subscription's transaction committed, so the job finds it. */
    @Component
    static class Pumps {

        private final SchedulerClient scheduler;
        private final CustomTask<Void> task;
        private final Subscriptions subscriptions;

        Pumps(@Lazy SchedulerClient scheduler, CustomTask<Void> webhooksDeliveryTask, Subscriptions subscriptions) {
            this.scheduler = scheduler;
            this.task = webhooksDeliveryTask;
            this.subscriptions = subscriptions;
        }

        void ensure(long subscriptionId) {
            scheduler.scheduleIfNotExists(task.instance(Long.toString(subscriptionId)), Instant.now());
        }

        void ensureAll() {
            subscriptions.enabledIds().forEach(this::ensure);
        }
    }
}

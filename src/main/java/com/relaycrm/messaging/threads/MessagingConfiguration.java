package com.relaycrm.messaging.threads;

import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.relaycrm.platform.RouteAccess;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;

@Configuration(proxyBeanMethods = false)
class MessagingConfiguration {

    private static final Logger log = LoggerFactory.getLogger(MessagingConfiguration.class);
    static final String CLEANUP_TASK = "messaging-idempotency-cleanup";
    private static final String[] READ_ROLES = {"ADMIN", "MESSAGING_SERVICE", "SALES", "AGENT", "VIEWER"};
    private static final String[] WRITE_ROLES = {"ADMIN", "MESSAGING_SERVICE", "SALES", "AGENT"};

    /**
     * Every role may read its own threads and move its read horizon; VIEWER tokens may not open threads, post, edit
     * or delete. Which threads and usernames a token may touch is decided per request (see {@link Acting}).
     */
    @Bean
    RouteAccess messagingRoutes() {
        return routes -> routes.requestMatchers(HttpMethod.GET, "/thread/**", "/users/*/threads")
                .hasAnyRole(READ_ROLES)
                .requestMatchers(HttpMethod.POST, "/thread/*/*/read")
                .hasAnyRole(READ_ROLES)
                .requestMatchers("/thread", "/thread/**")
                .hasAnyRole(WRITE_ROLES);
    }

    /**
     * Keys older than the window no longer block reuse; this only keeps the table small. A one-time task per
     * interval slot, each run scheduling the next slot: slot ids are derived from the clock, so every instance
     * schedules the same next run and db-scheduler runs it once. (A {@code Tasks.recurring} bean cannot be used yet:
     * the platform registers start-up tasks twice and the scheduler refuses to start.)
     */
    @Bean
    OneTimeTask<Void> messagingIdempotencyCleanup(
            ObjectProvider<Threads> threads, MessagingProperties properties, Clock clock) {
        AtomicReference<OneTimeTask<Void>> self = new AtomicReference<>();
        OneTimeTask<Void> task = Tasks.oneTime(CLEANUP_TASK).execute((instance, context) -> {
            int removed = threads.getObject().forgetExpiredKeys();
            if (removed > 0) {
                log.info("Forgot {} expired messaging Idempotency-Keys", removed);
            }
            scheduleNextSlot(context.getSchedulerClient(), self.get(), properties, clock);
        });
        self.set(task);
        return task;
    }

    /** How many SSE streams this instance serves, and whether its LISTEN connection is up (1) or reconnecting (0). */
    @Bean
    MeterBinder messagingMeters(ThreadEventHub hub, NotificationListener listener) {
        return registry -> {
            Gauge.builder("relay.messaging.sse.subscribers", hub, ThreadEventHub::subscriberCount)
                    .description("Open Server-Sent Events streams on this instance")
                    .register(registry);
            Gauge.builder("relay.messaging.listener.connected", listener, l -> l.listening() ? 1 : 0)
                    .description("1 while the LISTEN connection for realtime events is open")
                    .register(registry);
        };
    }

    @Bean
    ApplicationListener<ApplicationReadyEvent> messagingCleanupStarter(
            SchedulerClient scheduler,
            OneTimeTask<Void> messagingIdempotencyCleanup,
            MessagingProperties properties,
            Clock clock) {
        return event -> scheduleNextSlot(scheduler, messagingIdempotencyCleanup, properties, clock);
    }

    private static void scheduleNextSlot(
            SchedulerClient scheduler, OneTimeTask<Void> task, MessagingProperties properties, Clock clock) {
        long interval = properties.cleanupInterval().toMillis();
        long slot = clock.millis() / interval + 1;
        scheduler.scheduleIfNotExists(task.instance("slot-" + slot), Instant.ofEpochMilli(slot * interval));
    }
}

package com.relaycrm.messaging.threads;

import com.github.kagkarlsson.scheduler.task.Task;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.FixedDelay;
import com.relaycrm.platform.RouteAccess;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;

@Configuration(proxyBeanMethods = false)
class MessagingConfiguration {

    private static final Logger log = LoggerFactory.getLogger(MessagingConfiguration.class);
    private static final String[] READ_ROLES = {"ADMIN", "MESSAGING_SERVICE", "SALES", "AGENT", "VIEWER"};
    private static final String[] WRITE_ROLES = {"ADMIN", "MESSAGING_SERVICE", "SALES", "AGENT"};

    /**
     * Every role may read its own threads and move its read horizon; VIEWER tokens may not open threads, post, edit
     * or delete. Which threads and usernames a token may touch is decided per request (see {@link Acting}).
     */
    @Bean
    RouteAccess messagingRoutes() {
        return routes -> routes
                .requestMatchers(HttpMethod.GET, "/thread/**", "/users/*/threads").hasAnyRole(READ_ROLES)
                .requestMatchers(HttpMethod.POST, "/thread/*/*/read").hasAnyRole(READ_ROLES)
                .requestMatchers("/thread", "/thread/**").hasAnyRole(WRITE_ROLES);
    }

    /** Keys older than the window no longer block reuse; this only keeps the table small. */
    @Bean
    Task<Void> messagingIdempotencyCleanup(Threads threads, MessagingProperties properties) {
        return Tasks.recurring("messaging-idempotency-cleanup", FixedDelay.of(properties.cleanupInterval()))
                .execute((instance, context) -> {
                    int removed = threads.forgetExpiredKeys();
                    if (removed > 0) {
                        log.info("Forgot {} expired messaging Idempotency-Keys", removed);
                    }
                });
    }
}

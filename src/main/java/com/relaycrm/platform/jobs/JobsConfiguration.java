package com.relaycrm.platform.jobs;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.task.OnStartup;
import com.github.kagkarlsson.scheduler.task.Task;
import java.time.Duration;
import java.util.List;
import javax.sql.DataSource;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * One db-scheduler per instance, built from every {@link Task} bean the modules declare. Executions are claimed with
 * {@code FOR UPDATE SKIP LOCKED}, so with several instances each execution runs on exactly one of them.
 */
@Configuration(proxyBeanMethods = false)
class JobsConfiguration {

    @Bean
    Scheduler scheduler(
            DataSource dataSource,
            List<Task<?>> tasks,
            @Value("${relay.jobs.polling-interval:PT2S}") Duration pollingInterval,
            @Value("${relay.jobs.threads:20}") int threads,
            @Value("${relay.jobs.shutdown-max-wait:PT20S}") Duration shutdownMaxWait,
            @Value("${relay.jobs.heartbeat-interval:PT30S}") Duration heartbeatInterval,
            @Value("${relay.jobs.missed-heartbeats-limit:6}") int missedHeartbeatsLimit) {
        if (heartbeatInterval.isNegative() || heartbeatInterval.isZero()) {
            throw new IllegalArgumentException("RELAY_JOBS_HEARTBEAT_INTERVAL must be a positive duration");
        }
        if (missedHeartbeatsLimit < 4) {
            // db-scheduler itself refuses fewer than 4 missed heartbeats
            throw new IllegalArgumentException("RELAY_JOBS_MISSED_HEARTBEATS_LIMIT must be at least 4");
        }
        List<OnStartup> startupTasks = tasks.stream()
                .filter(OnStartup.class::isInstance)
                .map(OnStartup.class::cast)
                .toList();
        // startTasks registers the on-startup (recurring) tasks itself; listing them twice is an error.
        List<Task<?>> otherTasks =
                tasks.stream().filter(t -> !(t instanceof OnStartup)).toList();
        return Scheduler.create(dataSource, otherTasks)
                .startTasks(startupTasks.stream()
                        .map(t -> (Task<?> & OnStartup) castTask(t))
                        .toList())
                .threads(threads)
                .pollingInterval(pollingInterval)
                .shutdownMaxWait(shutdownMaxWait)
                // An execution whose instance stopped heartbeating for interval x limit (3 min by default) is dead:
                // another instance revives it (an import then resumes from its checkpoint).
                .heartbeatInterval(heartbeatInterval)
                .missedHeartbeatsLimit(missedHeartbeatsLimit)
                .enableImmediateExecution()
                .pollUsingLockAndFetch(0.5, 1.0)
                .build();
    }

    @SuppressWarnings("unchecked")
    private static <T extends Task<?> & OnStartup> T castTask(OnStartup task) {
        return (T) task;
    }

    @Bean
    SmartLifecycle schedulerLifecycle(Scheduler scheduler) {
        return new SmartLifecycle() {
            private volatile boolean running;

            @Override
            public void start() {
                scheduler.start();
                running = true;
            }

            @Override
            public void stop() {
                scheduler.stop();
                running = false;
            }

            @Override
            public boolean isRunning() {
                return running;
            }

            @Override
            public int getPhase() {
                // Stops before the web server drains and before the DataSource closes.
                return Integer.MAX_VALUE - 1000;
            }
        };
    }
}

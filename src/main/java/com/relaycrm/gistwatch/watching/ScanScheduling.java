package com.relaycrm.gistwatch.watching;

import com.github.kagkarlsson.scheduler.ScheduledExecution;
import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.task.TaskInstance;
import com.github.kagkarlsson.scheduler.task.TaskInstanceId;
import com.github.kagkarlsson.scheduler.task.helper.RecurringTaskWithPersistentSchedule;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Lazy;
import org.springframework.stereotype.Service;

/**
 * One persistent recurring db-scheduler task per watched user (instance id = login key). db-scheduler claims each
 * due execution on exactly one instance, and reschedules it after success and failure alike.
 */
@Service
public class ScanScheduling {

    static final String TASK = "gistwatch-scan";
    private static final Logger log = LoggerFactory.getLogger(ScanScheduling.class);

    private final SchedulerClient scheduler;
    private final RecurringTaskWithPersistentSchedule<ScanSchedule> task;
    private final PipetestProperties pipetest;
    private final GistwatchProperties properties;
    private final Clock clock;

    ScanScheduling(
            @Lazy SchedulerClient scheduler,
            RecurringTaskWithPersistentSchedule<ScanSchedule> gistScanTask,
            PipetestProperties pipetest,
            GistwatchProperties properties,
            Clock clock) {
        this.scheduler = scheduler;
        this.task = gistScanTask;
        this.pipetest = pipetest;
        this.properties = properties;
        this.clock = clock;
    }

    void ensureScheduled(String login) {
        ScanSchedule schedule = new ScanSchedule(login, pipetest.intervalMinutes());
        scheduler.scheduleIfNotExists(
                task.instance(GitHubLogins.key(login), schedule),
                clock.instant().plus(properties.firstScanDelay()));
    }

    void cancel(String loginKey) {
        try {
            scheduler.cancel(TaskInstanceId.of(TASK, loginKey));
        } catch (RuntimeException e) {
            // Running right now: that run sees the user unwatched next time and does nothing; start-up cleans up.
            log.debug("Could not cancel the scan task of {}: {}", loginKey, e.getMessage());
        }
    }

    /** Makes the scheduled tasks match the watch list and the configured interval. */
    void reconcile(List<String> watchedLogins) {
        Map<String, ScheduledExecution<ScanSchedule>> existing = new HashMap<>();
        scheduler.fetchScheduledExecutionsForTask(
                TASK,
                ScanSchedule.class,
                execution -> existing.put(execution.getTaskInstance().getId(), execution));
        int interval = pipetest.intervalMinutes();
        Instant now = clock.instant();
        List<TaskInstance<?>> missing = new ArrayList<>();
        for (String login : watchedLogins) {
            String key = GitHubLogins.key(login);
            ScheduledExecution<ScanSchedule> execution = existing.remove(key);
            if (execution == null) {
                missing.add(task.instance(key, new ScanSchedule(login, interval)));
            } else if (execution.getData() == null || execution.getData().intervalMinutes() != interval) {
                Instant next = execution.getExecutionTime();
                Instant latest = now.plusSeconds(interval * 60L);
                try {
                    scheduler.reschedule(
                            TaskInstanceId.of(TASK, key),
                            next.isAfter(latest) ? latest : next,
                            new ScanSchedule(login, interval));
                } catch (RuntimeException e) {
                    log.debug("Could not reschedule the scan of {}: {}", login, e.getMessage());
                }
            }
        }
        scheduleAll(missing, now.plus(properties.firstScanDelay()));
        existing.keySet().forEach(this::cancel);
    }

    /** Batches inserts for a large watch list; if another instance got there first, one by one, skipping those. */
    private void scheduleAll(List<TaskInstance<?>> instances, Instant first) {
        for (int from = 0; from < instances.size(); from += 500) {
            List<TaskInstance<?>> chunk = instances.subList(from, Math.min(instances.size(), from + 500));
            try {
                scheduler.scheduleBatch(chunk, first);
            } catch (RuntimeException e) {
                chunk.forEach(instance -> scheduler.scheduleIfNotExists(instance, first));
            }
        }
    }
}

package com.relaycrm.gistwatch.watching;

import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.task.TaskInstanceId;
import com.github.kagkarlsson.scheduler.task.helper.RecurringTaskWithPersistentSchedule;
import com.github.kagkarlsson.scheduler.task.helper.ScheduleAndData;
import com.github.kagkarlsson.scheduler.task.schedule.FixedDelay;
import com.github.kagkarlsson.scheduler.task.schedule.Schedule;
import java.time.Duration;
import java.time.Instant;

/**
 * A cluster-wide periodic job as a single persistent-schedule instance, so a configured interval change is applied
 * to the stored schedule at start-up. Plain {@code Tasks.recurring} beans are avoided on purpose: the platform's
 * scheduler registers start-up tasks twice (known tasks and start tasks), which fails start-up.
 */
public record Periodic(long seconds) implements ScheduleAndData {

    public static final String INSTANCE = "cluster";

    @Override
    public Schedule getSchedule() {
        return FixedDelay.ofSeconds((int) Math.min(Integer.MAX_VALUE, Math.max(1, seconds)));
    }

    @Override
    public Object getData() {
        return seconds;
    }

    /** Schedules the job if absent, first run at {@code first}; applies a changed interval to an existing one. */
    public static void ensure(
            SchedulerClient scheduler,
            RecurringTaskWithPersistentSchedule<Periodic> task,
            Duration interval,
            Instant first) {
        Periodic wanted = new Periodic(Math.max(1, interval.toSeconds()));
        if (scheduler.scheduleIfNotExists(task.instance(INSTANCE, wanted), first)) {
            return;
        }
        scheduler
                .getScheduledExecution(TaskInstanceId.of(task.getName(), INSTANCE))
                .ifPresent(execution -> {
                    if (!wanted.equals(execution.getData()) && !execution.isPicked()) {
                        try {
                            scheduler.reschedule(
                                    TaskInstanceId.of(task.getName(), INSTANCE),
                                    execution.getExecutionTime().isAfter(first.plus(interval))
                                            ? first.plus(interval)
                                            : execution.getExecutionTime(),
                                    wanted);
                        } catch (RuntimeException ignored) {
                            // picked meanwhile by another instance; the next start applies it
                        }
                    }
                });
    }
}

package com.relaycrm.gistwatch.watching;

import com.github.kagkarlsson.scheduler.task.helper.ScheduleAndData;
import com.github.kagkarlsson.scheduler.task.schedule.FixedDelay;
import com.github.kagkarlsson.scheduler.task.schedule.Schedule;

/** The persistent schedule of one watched user's scan (stored in db-scheduler's task_data). */
public record ScanSchedule(String login, int intervalMinutes) implements ScheduleAndData {

    @Override
    public Schedule getSchedule() {
        return FixedDelay.ofMinutes(intervalMinutes);
    }

    @Override
    public Object getData() {
        return login;
    }
}

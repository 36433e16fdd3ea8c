package com.relaycrm.gistwatch.watching;

import com.github.kagkarlsson.scheduler.task.helper.RecurringTaskWithPersistentSchedule;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;

@Configuration(proxyBeanMethods = false)
class ScanTaskConfiguration {

    @Bean
    RecurringTaskWithPersistentSchedule<ScanSchedule> gistScanTask(@Lazy Scanner scanner) {
        return Tasks.recurringWithPersistentSchedule(ScanScheduling.TASK, ScanSchedule.class)
                .execute((instance, context) ->
                        scanner.scanScheduled(instance.getData().login()));
    }
}

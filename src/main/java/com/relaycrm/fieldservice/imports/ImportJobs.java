package com.relaycrm.fieldservice.imports;

import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import java.util.UUID;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The import runs as a db-scheduler one-time task (one instance per import, claimed by exactly one Relay instance);
 * a dead execution is revived by db-scheduler and resumes from its checkpoint.
 */
@Configuration(proxyBeanMethods = false)
class ImportJobs {

    static final String TASK = "fieldservice-csv-import";

    @Bean
    OneTimeTask<Void> fieldserviceCsvImportTask(ImportProcessor processor) {
        return Tasks.oneTime(TASK).execute((instance, context) -> processor.process(UUID.fromString(instance.getId())));
    }
}

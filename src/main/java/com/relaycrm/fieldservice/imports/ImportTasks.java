package com.relaycrm.fieldservice.imports;

import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.relaycrm.fieldservice.FieldServiceApi.ImportStatus;
import com.relaycrm.fieldservice.FieldServiceApi.RejectedLine;
import com.relaycrm.platform.CsvCells;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/** Starting an import and reading its state and rejected lines, shared by the HTTP API and the module's facade. */
@Service
public class ImportTasks {

    private final ImportUploads uploads;
    private final SchedulerClient scheduler;
    private final OneTimeTask<Void> task;
    private final JdbcClient jdbc;
    private final Clock clock;

    ImportTasks(
            ImportUploads uploads,
            SchedulerClient scheduler,
            OneTimeTask<Void> fieldserviceCsvImportTask,
            JdbcClient jdbc,
            Clock clock) {
        this.uploads = uploads;
        this.scheduler = scheduler;
        this.task = fieldserviceCsvImportTask;
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** Stores and checks the upload (a refused file throws the API's problem), then schedules its import. */
    public UUID start(
            InputStream csv, boolean dryRun, @Nullable String delimiter, @Nullable String encoding, String username) {
        var options = new ImportUploads.Options(
                dryRun, CsvLayout.delimiterParameter(delimiter), CsvLayout.encodingParameter(encoding), username);
        UUID id = uploads.store(csv, options);
        scheduler.scheduleIfNotExists(task.instance(id.toString()), clock.instant());
        return id;
    }

    UUID start(InputStream csv, ImportUploads.Options options) {
        UUID id = uploads.store(csv, options);
        scheduler.scheduleIfNotExists(task.instance(id.toString()), clock.instant());
        return id;
    }

    public Optional<ImportStatus> status(UUID id) {
        return jdbc.sql("SELECT * FROM fieldservice_import WHERE id = ?")
                .param(id)
                .query((rs, n) -> new ImportStatus(
                        id,
                        rs.getString("state"),
                        rs.getBoolean("dry_run"),
                        rs.getLong("processed_rows"),
                        rs.getLong("total_bytes"),
                        rs.getLong("processed_bytes"),
                        rs.getLong("total_rows"),
                        rs.getLong("inserted"),
                        rs.getLong("updated"),
                        rs.getLong("unchanged"),
                        rs.getLong("rejected"),
                        rs.getString("failure")))
                .optional();
    }

    public List<RejectedLine> rejectedLines(UUID id, int limit) {
        return jdbc.sql("""
                        SELECT line, column_name, value, code, message FROM fieldservice_import_error
                        WHERE import_id = ? ORDER BY line LIMIT ?""")
                .param(id)
                .param(limit)
                .query((rs, n) -> new RejectedLine(
                        rs.getLong("line"),
                        rs.getString("column_name"),
                        rs.getString("value"),
                        rs.getString("code"),
                        rs.getString("message")))
                .list();
    }

    public boolean exists(UUID id) {
        return jdbc.sql("SELECT count(*) FROM fieldservice_import WHERE id = ?")
                        .param(id)
                        .query(Long.class)
                        .single()
                > 0;
    }

    /** Every rejected line as {@code line,column,value,code,message,raw}; false when there is no such import. */
    public boolean writeRejectedLines(UUID id, Writer writer) throws IOException {
        if (!exists(id)) {
            return false;
        }
        writer.write("line,column,value,code,message,raw\r\n");
        try {
            jdbc.sql(
                            "SELECT line, column_name, value, code, message, raw FROM fieldservice_import_error WHERE import_id = ? ORDER BY line")
                    .param(id)
                    .query(rs -> {
                        try {
                            // Values and raw lines are whatever the uploader sent: neutralised so that opening the
                            // download in a spreadsheet cannot run a formula (CSV injection).
                            writer.write(rs.getLong("line") + "," + CsvCells.cell(rs.getString("column_name")) + ","
                                    + CsvCells.cell(rs.getString("value")) + "," + CsvCells.cell(rs.getString("code"))
                                    + "," + CsvCells.cell(rs.getString("message")) + ","
                                    + CsvCells.quoted(rs.getString("raw")) + "\r\n");
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        writer.flush();
        return true;
    }
}

package com.relaycrm.fieldservice.imports;

import com.relaycrm.fieldservice.ImportFinished;
import com.relaycrm.fieldservice.domain.Names;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.ConcurrencyFailureException;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Runs one stored import: streams the upload, validates rows, and writes them chunk by chunk. Each chunk is one
 * transaction: creation of the chunk's new angels and polos, a binary COPY of the visits with new ids straight into
 * the table (the others through a staging COPY and one upsert on {@code id_atendimento}), the chunk's rejected
 * lines, and the checkpoint with the running counts.
 * After a crash the job re-reads the file from the start (rebuilding the in-file duplicate index) but writes only
 * the chunks after the last checkpoint, so the counts end exact and nothing is written twice. A reader thread parses
 * and validates the next chunk while the database writes the current one.
 */
@Service
class ImportProcessor {

    private static final Logger log = LoggerFactory.getLogger(ImportProcessor.class);
    private static final int MAX_RAW = 2000;
    private static final int MAX_VALUE = 200;
    private static final Comparator<RowValidation.Row> BY_ID =
            Comparator.comparingLong(RowValidation.Row::idAtendimento);

    /** Called inside a chunk's transaction before it commits; a test throws here to simulate a crash. */
    interface ChunkHook {
        void beforeCommit(int chunk);
    }

    record ImportRow(
            UUID id,
            String state,
            boolean dryRun,
            char delimiter,
            Charset charset,
            CsvLayout layout,
            int nextChunk,
            long totalBytes,
            @Nullable Boolean summariesDeferred) {}

    /**
     * How this run writes. {@code deferSummaries}: the import dominates the table, so its chunks skip the summary
     * triggers and the summaries are rebuilt once when it finishes. {@code insertAbove}: no live visit had an
     * {@code id_atendimento} above this when the run started, and the file's own duplicates are rejected before
     * writing, so staged rows above it can only collide with a concurrent writer: they take a plain INSERT (a
     * unique violation rolls the chunk back and it is redone with the upsert alone).
     */
    private static final class WritePlan {
        final boolean deferSummaries;
        long insertAbove;

        WritePlan(boolean deferSummaries, long insertAbove) {
            this.deferSummaries = deferSummaries;
            this.insertAbove = insertAbove;
        }
    }

    private record Counts(long inserted, long updated, long unchanged, long rejected) {}

    /**
     * Angel and polo ids by name for one run, used by the writer thread only. Names first met in a chunk are created
     * in that chunk's transaction (sorted, so concurrent imports lock in the same order); their ids are remembered
     * only once the chunk commits, because a rolled-back chunk's new rows no longer exist. Angels and polos are never
     * deleted, so a remembered id stays valid.
     */
    private static final class Dimensions {
        private final Map<String, Long> angels = new HashMap<>();
        private final Map<String, Long> polos = new HashMap<>();
        private final Map<String, Long> pendingAngels = new HashMap<>();
        private final Map<String, Long> pendingPolos = new HashMap<>();

        void resolve(Connection connection, List<RowValidation.Row> rows) throws SQLException {
            pendingAngels.clear();
            pendingPolos.clear();
            TreeSet<String> newAngels = new TreeSet<>();
            TreeSet<String> newPolos = new TreeSet<>();
            for (RowValidation.Row r : rows) {
                if (!angels.containsKey(r.angel())) {
                    newAngels.add(r.angel());
                }
                if (!polos.containsKey(r.polo())) {
                    newPolos.add(r.polo());
                }
            }
            if (!newAngels.isEmpty()) {
                Object[] names = newAngels.toArray();
                create(
                        connection,
                        """
                        INSERT INTO fieldservice_angel (name) SELECT n FROM unnest(?::text[]) AS t(n)
                        ORDER BY 1 ON CONFLICT DO NOTHING""",
                        "SELECT id, name FROM fieldservice_angel WHERE name = ANY(?)",
                        names,
                        null,
                        pendingAngels);
            }
            if (!newPolos.isEmpty()) {
                Object[] names = newPolos.toArray();
                @Nullable Object[] ufs = newPolos.stream().map(Names::ufOf).toArray();
                create(
                        connection,
                        """
                        INSERT INTO fieldservice_polo (name, uf) SELECT n, u FROM unnest(?::text[], ?::text[]) AS t(n, u)
                        ORDER BY 1 ON CONFLICT DO NOTHING""",
                        "SELECT id, name FROM fieldservice_polo WHERE name = ANY(?)",
                        names,
                        ufs,
                        pendingPolos);
            }
        }

        private static void create(
                Connection connection,
                String insert,
                String select,
                Object[] names,
                @Nullable Object @Nullable [] ufs,
                Map<String, Long> into)
                throws SQLException {
            java.sql.Array nameArray = connection.createArrayOf("text", names);
            try (PreparedStatement statement = connection.prepareStatement(insert)) {
                statement.setArray(1, nameArray);
                if (ufs != null) {
                    statement.setArray(2, connection.createArrayOf("text", ufs));
                }
                statement.executeUpdate();
            }
            try (PreparedStatement statement = connection.prepareStatement(select)) {
                statement.setArray(1, nameArray);
                try (ResultSet result = statement.executeQuery()) {
                    while (result.next()) {
                        into.put(result.getString(2), result.getLong(1));
                    }
                }
            }
        }

        long angel(RowValidation.Row row) {
            return id(angels, pendingAngels, row.angel());
        }

        long polo(RowValidation.Row row) {
            return id(polos, pendingPolos, row.polo());
        }

        private static long id(Map<String, Long> known, Map<String, Long> pending, String name) {
            Long id = known.get(name);
            if (id == null) {
                id = Objects.requireNonNull(pending.get(name), "resolve() created every name of the chunk");
            }
            return id;
        }

        /** The chunk committed: its new names' ids exist for good. */
        void committed() {
            angels.putAll(pendingAngels);
            polos.putAll(pendingPolos);
        }
    }

    /** Where an import's time goes, logged when it finishes (nanoseconds). */
    private static final class Timings {
        long read;
        long waitRead;
        long copy;
        long dimensions;
        long insert;
        long upsert;
        long checkpoint;
        long summaries;
        long indexes;

        @Override
        public String toString() {
            return "read+validate %.1f s (reader thread, overlapped), writer waiting for the reader %.1f s, staging COPY %.1f s, new angels/polos %.1f s, visit COPY %.1f s, visit upsert %.1f s, errors+checkpoint+commit %.1f s, summary rebuild %.1f s, list indexes dropped and built %.1f s"
                    .formatted(
                            read / 1e9,
                            waitRead / 1e9,
                            copy / 1e9,
                            dimensions / 1e9,
                            insert / 1e9,
                            upsert / 1e9,
                            checkpoint / 1e9,
                            summaries / 1e9,
                            indexes / 1e9);
        }
    }

    private final ThreadLocal<Timings> timings = ThreadLocal.withInitial(Timings::new);

    private final JdbcClient jdbc;
    private final DataSource dataSource;
    private final TransactionTemplate transactions;
    private final ImportProperties properties;
    private final Clock clock;
    private final ApplicationEventPublisher events;

    ImportProcessor(
            JdbcClient jdbc,
            DataSource dataSource,
            TransactionTemplate transactions,
            ImportProperties properties,
            Clock clock,
            ApplicationEventPublisher events) {
        this.events = events;
        this.jdbc = jdbc;
        this.dataSource = dataSource;
        this.transactions = transactions;
        this.properties = properties;
        this.clock = clock;
    }

    void process(UUID id) {
        process(id, Integer.MAX_VALUE, chunk -> {});
    }

    /** Writes at most {@code maxNewChunks} chunks past the checkpoint; true when the import is finished. */
    boolean process(UUID id, int maxNewChunks, ChunkHook hook) {
        ImportRow row = load(id);
        if (row == null || row.state().equals("SUCCESS") || row.state().equals("FAILURE")) {
            return true;
        }
        boolean deferSummaries = jdbc.sql("""
                        UPDATE fieldservice_import SET state = 'STARTED', started_at = coalesce(started_at, ?),
                            summaries_deferred = coalesce(summaries_deferred, ?)
                        WHERE id = ? RETURNING summaries_deferred""")
                .param(now())
                .param(row.summariesDeferred() != null ? row.summariesDeferred() : dominatesTable(row))
                .param(id)
                .query(Boolean.class)
                .single();
        // Only ids above the current maximum skip the conflict check; recomputed on resume (the import's own earlier
        // chunks then count as existing rows, which is merely slower).
        long insertAbove = jdbc.sql(
                        "SELECT coalesce(max(id_atendimento), 0) FROM fieldservice_visit WHERE deleted_at IS NULL")
                .query(Long.class)
                .single();
        WritePlan plan = new WritePlan(deferSummaries, insertAbove);
        timings.set(new Timings());
        long began = System.nanoTime();
        if (deferSummaries && !row.dryRun() && liveVisitsAtMost(estimatedRows(row) / 2)) {
            dropListIndexes(id);
        }
        try {
            boolean finished = run(row, plan, maxNewChunks, hook);
            if (finished) {
                finish(row, plan, "SUCCESS", null);
                // The file is no longer needed: rejected lines are kept with their errors.
                jdbc.sql("DELETE FROM fieldservice_import_block WHERE import_id = ?")
                        .param(id)
                        .update();
                log.info(
                        "Import {} finished in {} s: {}",
                        id,
                        "%.1f".formatted((System.nanoTime() - began) / 1e9),
                        timings.get());
            }
            return finished;
        } catch (SimulatedCrash crash) {
            throw crash;
        } catch (RuntimeException | IOException e) {
            log.error("Import {} failed", id, e);
            finish(row, plan, "FAILURE", "The import stopped unexpectedly; it has been logged");
            return true;
        }
    }

    /**
     * An import whose (estimated) rows are at least half the live visits: rebuilding the summaries once from the
     * whole table then costs less than folding every chunk into them (measured ~5 us per table row for the rebuild
     * vs ~17 us per imported row for per-chunk folding, under load). Dry runs write nothing and never defer.
     */
    private boolean dominatesTable(ImportRow row) {
        return !row.dryRun() && liveVisitsAtMost(Math.min(2 * estimatedRows(row), Long.MAX_VALUE / 2));
    }

    private static long estimatedRows(ImportRow row) {
        return Math.max(1, row.totalBytes() / 85); // the real file averages ~85 bytes a row
    }

    private boolean liveVisitsAtMost(long most) {
        long live = jdbc.sql(
                        "SELECT count(*) FROM (SELECT 1 FROM fieldservice_visit WHERE deleted_at IS NULL LIMIT ?) v")
                .param(most + 1)
                .query(Long.class)
                .single();
        return live <= most;
    }

    /**
     * An import at least twice the size of the table writes without the visit list's indexes and builds them once,
     * sorted, when it finishes (V4_3: kept up row by row they tripled a first import's table write). A re-import of a
     * file the table already holds keeps them: its rows are mostly unchanged and touch no index. The drop waits at
     * most 2 s for readers of the table; past that the import keeps them and only runs slower.
     */
    private void dropListIndexes(UUID id) {
        long t0 = System.nanoTime();
        try {
            transactions.executeWithoutResult(status -> {
                jdbc.sql("SET LOCAL lock_timeout = '2s'").update();
                jdbc.sql("SELECT fieldservice_drop_list_indexes()")
                        .query((rs, n) -> 1)
                        .list();
            });
        } catch (DataAccessException e) {
            log.info("Import {} keeps the visit list's indexes (the table was busy): {}", id, e.getMessage());
        }
        timings.get().indexes += System.nanoTime() - t0;
    }

    /**
     * Marks the import finished. A deferred import that wrote anything rebuilds the summaries in the same
     * transaction, holding SHARE ROW EXCLUSIVE on the visits so concurrent writers wait and rebuilds run one at a
     * time; a crash before this commit leaves the import STARTED, and the resumed run finishes it here.
     */
    private void finish(ImportRow row, WritePlan plan, String state, @Nullable String failure) {
        long t0 = System.nanoTime();
        transactions.executeWithoutResult(status -> {
            if (plan.deferSummaries && !row.dryRun()) {
                jdbc.sql("LOCK TABLE fieldservice_visit IN SHARE ROW EXCLUSIVE MODE")
                        .update();
                long changed = jdbc.sql("SELECT inserted + updated FROM fieldservice_import WHERE id = ?")
                        .param(row.id())
                        .query(Long.class)
                        .single();
                if (changed > 0) {
                    jdbc.sql("SET LOCAL work_mem = '64MB'").update();
                    jdbc.sql("SELECT fieldservice_rebuild_summaries()")
                            .query((rs, n) -> 1)
                            .list();
                }
            }
            if (!row.dryRun()) {
                // builds whatever this run or a crashed earlier one dropped; a no-op where all seven exist
                long t1 = System.nanoTime();
                // the server's memory for the sorts of the index builds, not Relay's heap
                jdbc.sql("SET LOCAL maintenance_work_mem = '256MB'").update();
                jdbc.sql("SELECT fieldservice_create_list_indexes()")
                        .query((rs, n) -> 1)
                        .list();
                timings.get().indexes += System.nanoTime() - t1;
                timings.get().summaries -= System.nanoTime() - t1;
            }
            jdbc.sql("""
                            UPDATE fieldservice_import SET state = :state, finished_at = :now, failure = :failure,
                                processed_bytes = CASE WHEN :state = 'SUCCESS' THEN total_bytes ELSE processed_bytes END
                            WHERE id = :id""")
                    .param("state", state)
                    .param("now", now())
                    .param("failure", failure)
                    .param("id", row.id())
                    .update();
            events.publishEvent(new ImportFinished(row.id().toString(), result(row.id())));
        });
        timings.get().summaries += System.nanoTime() - t0;
    }

    /** The import's end as the {@code import.finished} webhook carries it. */
    private Map<String, Object> result(UUID id) {
        return jdbc.sql("""
                        SELECT state, dry_run, total_rows, inserted, updated, unchanged, rejected, failure, created_by,
                               created_at, started_at, finished_at
                        FROM fieldservice_import WHERE id = ?""")
                .param(id)
                .query((rs, n) -> {
                    Map<String, Object> result = new LinkedHashMap<>();
                    result.put("task_id", id.toString());
                    result.put("state", rs.getString("state"));
                    result.put("dry_run", rs.getBoolean("dry_run"));
                    for (String count : List.of("total_rows", "inserted", "updated", "unchanged", "rejected")) {
                        result.put(count, rs.getLong(count));
                    }
                    for (String text : List.of("failure", "created_by")) {
                        String value = rs.getString(text);
                        if (value != null) {
                            result.put(text, value);
                        }
                    }
                    for (String time : List.of("created_at", "started_at", "finished_at")) {
                        java.time.OffsetDateTime value = rs.getObject(time, java.time.OffsetDateTime.class);
                        if (value != null) {
                            result.put(time, value);
                        }
                    }
                    return result;
                })
                .single();
    }

    /** Thrown by tests' hooks; leaves the import as a killed process would. */
    static final class SimulatedCrash extends RuntimeException {
        SimulatedCrash() {
            super("simulated crash", null, false, false);
        }
    }

    private @Nullable ImportRow load(UUID id) {
        return jdbc.sql(
                        "SELECT id, state, dry_run, delimiter, encoding, column_index, next_chunk, total_bytes, summaries_deferred FROM fieldservice_import WHERE id = ?")
                .param(id)
                .query((rs, n) -> {
                    Integer[] index = (Integer[]) rs.getArray("column_index").getArray();
                    int[] columns = new int[index.length - 1];
                    for (int i = 1; i < index.length; i++) {
                        columns[i - 1] = index[i];
                    }
                    char delimiter = rs.getString("delimiter").charAt(0);
                    return new ImportRow(
                            UUID.fromString(rs.getString("id")),
                            rs.getString("state"),
                            rs.getBoolean("dry_run"),
                            delimiter,
                            Charset.forName(rs.getString("encoding")),
                            new CsvLayout(delimiter, index[0], columns),
                            rs.getInt("next_chunk"),
                            rs.getLong("total_bytes"),
                            rs.getObject("summaries_deferred", Boolean.class));
                })
                .optional()
                .orElse(null);
    }

    /** One chunk as read and validated: its valid rows (empty when skipped) and its rejected lines. */
    private record Chunk(
            int index,
            List<RowValidation.Row> rows,
            List<RowValidation.RowError> errors,
            int records,
            long consumed,
            boolean last) {}

    /** What the reader thread hands over when it fails. */
    private record ReadFailure(Throwable cause) {}

    private static final Object END = new Object();

    /**
     * Reading, validating and building the COPY text of chunk n+1 (a reader thread) overlaps with the database
     * writing chunk n (this thread). The queue holds one chunk, so at most three chunks are in memory.
     */
    private boolean run(ImportRow row, WritePlan plan, int maxNewChunks, ChunkHook hook) throws IOException {
        BlockingQueue<Object> queue = new ArrayBlockingQueue<>(1);
        AtomicBoolean stop = new AtomicBoolean();
        Timings time = timings.get();
        Thread reader = Thread.ofPlatform()
                .name("fieldservice-import-reader-" + row.id())
                .daemon()
                .start(() -> read(row, queue, stop, time));
        try {
            int written = 0;
            Dimensions ids = new Dimensions();
            while (true) {
                long waitStart = System.nanoTime();
                Object next = queue.take();
                time.waitRead += System.nanoTime() - waitStart;
                if (next == END) {
                    return true;
                }
                if (next instanceof ReadFailure failure) {
                    if (failure.cause() instanceof IOException io) {
                        throw io;
                    }
                    if (failure.cause() instanceof RuntimeException runtime) {
                        throw runtime;
                    }
                    throw new IllegalStateException("Import reader failed", failure.cause());
                }
                Chunk chunk = (Chunk) next;
                if (chunk.index() < row.nextChunk()) {
                    continue; // already written before a restart: read only to rebuild the duplicate index
                }
                if (written == maxNewChunks) {
                    return false;
                }
                writeChunk(row, plan, chunk, hook, ids);
                written++;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Import interrupted", e);
        } finally {
            stop.set(true);
            reader.interrupt();
            try {
                reader.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void read(ImportRow row, BlockingQueue<Object> queue, AtomicBoolean stop, Timings time) {
        try {
            long readStart = System.nanoTime();
            BlockInputStream bytes = new BlockInputStream(jdbc, row.id());
            Reader reader = new InputStreamReader(
                    bytes,
                    row.charset()
                            .newDecoder()
                            .onMalformedInput(CodingErrorAction.REPLACE)
                            .onUnmappableCharacter(CodingErrorAction.REPLACE));
            CsvRecords records = new CsvRecords(reader, row.delimiter());
            RowValidation validation = new RowValidation(row.layout());
            records.next(); // the header, checked at upload
            // sized for the whole file up front (the real file averages ~85 bytes a row): growing it rehashed every id
            LongIntMap seen =
                    new LongIntMap((int) Math.min(16_000_000, Math.max(properties.chunkRows(), row.totalBytes() / 80)));
            List<RowValidation.Row> rows = new ArrayList<>(properties.chunkRows());
            List<RowValidation.RowError> errors = new ArrayList<>();
            int chunk = 0;
            int inChunk = 0;
            CsvRecords.Record record;
            while (!stop.get()) {
                record = records.next();
                if (record != null) {
                    inChunk++;
                    RowValidation.Outcome outcome = validation.validate(record);
                    if (outcome.error() != null) {
                        errors.add(outcome.error());
                    } else {
                        RowValidation.Row visit =
                                Objects.requireNonNull(outcome.row(), "an outcome without an error has a row");
                        int first = seen.putIfAbsent(
                                visit.idAtendimento(), (int) Math.min(visit.line(), Integer.MAX_VALUE));
                        if (first >= 0) {
                            errors.add(RowValidation.error(
                                            record,
                                            "id_atendimento",
                                            String.valueOf(visit.idAtendimento()),
                                            "DUPLICATE",
                                            "id_atendimento " + visit.idAtendimento() + " already appears on line "
                                                    + first + "; the first line wins")
                                    .error());
                        } else {
                            rows.add(visit);
                        }
                    }
                }
                if (inChunk == properties.chunkRows() || (record == null && inChunk > 0)) {
                    boolean skipped = chunk < row.nextChunk();
                    Chunk ready = new Chunk(
                            chunk,
                            skipped ? List.of() : List.copyOf(rows),
                            List.copyOf(errors),
                            inChunk,
                            bytes.consumed(),
                            record == null);
                    time.read += System.nanoTime() - readStart;
                    queue.put(ready);
                    readStart = System.nanoTime();
                    chunk++;
                    inChunk = 0;
                    rows.clear();
                    errors.clear();
                }
                if (record == null) {
                    queue.put(END);
                    return;
                }
            }
        } catch (InterruptedException e) {
            // the writer stopped (finished its quota of chunks or failed)
        } catch (Throwable e) {
            try {
                queue.put(new ReadFailure(e));
            } catch (InterruptedException interrupted) {
                // the writer is gone
            }
        }
    }

    private void writeChunk(ImportRow row, WritePlan plan, Chunk chunk, ChunkHook hook, Dimensions ids) {
        long[] checkpointStart = new long[1];
        for (int attempt = 1; ; attempt++) {
            try {
                transactions.executeWithoutResult(status -> {
                    Connection connection = DataSourceUtils.getConnection(dataSource);
                    try {
                        Counts counts = write(connection, row, plan, chunk, ids);
                        hook.beforeCommit(chunk.index());
                        checkpointStart[0] = System.nanoTime();
                        int advanced = jdbc.sql("""
                                        UPDATE fieldservice_import SET next_chunk = next_chunk + 1,
                                            processed_rows = processed_rows + :records,
                                            processed_bytes = greatest(processed_bytes, :consumed),
                                            total_rows = total_rows + :records,
                                            inserted = inserted + :inserted, updated = updated + :updated,
                                            unchanged = unchanged + :unchanged, rejected = rejected + :rejected
                                        WHERE id = :id AND next_chunk = :chunk""")
                                .param("records", chunk.records())
                                .param("consumed", chunk.consumed())
                                .param("inserted", counts.inserted())
                                .param("updated", counts.updated())
                                .param("unchanged", counts.unchanged())
                                .param("rejected", counts.rejected())
                                .param("id", row.id())
                                .param("chunk", chunk.index())
                                .update();
                        if (advanced != 1) {
                            throw new IllegalStateException(
                                    "Import " + row.id() + " chunk " + chunk + " was already written by another run");
                        }
                    } catch (SQLException e) {
                        throw new IllegalStateException("Import chunk failed", e);
                    }
                });
                if (!row.dryRun()) {
                    ids.committed(); // a dry run's new names were rolled back with its savepoint
                }
                timings.get().checkpoint += System.nanoTime() - checkpointStart[0];
                return;
            } catch (ConcurrencyFailureException e) {
                // Deadlock or serialization failure against a concurrent import: the chunk rolled back whole.
                if (attempt == 5) {
                    throw e;
                }
                log.info(
                        "Import {} chunk {} retried after {}",
                        row.id(),
                        chunk,
                        e.getClass().getSimpleName());
            } catch (IllegalStateException e) {
                // A concurrent writer recorded one of the ids above the plain-insert threshold: the chunk rolled back
                // whole and is redone with the upsert.
                if (e.getCause() instanceof SQLException sql
                        && "23505".equals(sql.getSQLState())
                        && plan.insertAbove != Long.MAX_VALUE
                        && attempt < 5) {
                    log.info(
                            "Import {} chunk {} met a concurrent insert; upserting from now on",
                            row.id(),
                            chunk.index());
                    plan.insertAbove = Long.MAX_VALUE;
                    continue;
                }
                if (e.getCause() instanceof SQLException sql && retryable(sql) && attempt < 5) {
                    log.info("Import {} chunk {} retried after SQL state {}", row.id(), chunk, sql.getSQLState());
                    continue;
                }
                throw e;
            }
        }
    }

    private static boolean retryable(SQLException e) {
        return "40P01".equals(e.getSQLState()) || "40001".equals(e.getSQLState());
    }

    private Counts write(Connection connection, ImportRow row, WritePlan plan, Chunk chunk, Dimensions ids)
            throws SQLException {
        List<RowValidation.RowError> errors = chunk.errors();
        long inserted = 0;
        long updated = 0;
        List<RowValidation.Row> rows = chunk.rows();
        if (!rows.isEmpty()) {
            Timings time = timings.get();
            long t0 = System.nanoTime();
            try (Statement statement = connection.createStatement()) {
                // Sorts of a chunk stay in memory; a lost commit after a server crash is redone from the checkpoint
                // (the chunk and its checkpoint commit together), so the commit need not wait for the WAL flush.
                statement.execute("SET LOCAL work_mem = '64MB'");
                statement.execute("SET LOCAL synchronous_commit = off");
                if (plan.deferSummaries) {
                    statement.execute("SET LOCAL relay.fieldservice_defer_summaries = on");
                }
                if (row.dryRun()) {
                    statement.execute("SAVEPOINT fieldservice_dry_run");
                }
            }
            ids.resolve(connection, rows);
            long t1 = System.nanoTime();
            time.dimensions += t1 - t0;
            // Ids above the plan's threshold are new unless a concurrent writer took them: they go straight into the
            // table (COPY, no ON CONFLICT, whose speculative insertion cost ~40% more per row). The rest are upserted
            // from a staging copy. Both in id order, so concurrent imports take row locks in the same order.
            List<RowValidation.Row> fresh = new ArrayList<>(rows.size());
            List<RowValidation.Row> known = new ArrayList<>();
            for (RowValidation.Row r : rows) {
                (r.idAtendimento() > plan.insertAbove ? fresh : known).add(r);
            }
            fresh = byId(fresh); // the upsert sorts in SQL
            Instant now = clock.instant();
            if (!fresh.isEmpty()) {
                inserted += copy(
                        connection,
                        "COPY fieldservice_visit (" + VisitCopy.COLUMNS + ") FROM STDIN (FORMAT binary)",
                        VisitCopy.encode(fresh, ids::angel, ids::polo, now));
            }
            long t2 = System.nanoTime();
            time.insert += t2 - t1;
            if (!known.isEmpty()) {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("CREATE TEMP TABLE IF NOT EXISTS fieldservice_stage_visit ("
                            + "id_atendimento bigint, id_cliente bigint, angel_id bigint, polo_id bigint,"
                            + " data_limite date, data_de_atendimento timestamp, status text, created_at timestamptz,"
                            + " updated_at timestamptz) ON COMMIT DELETE ROWS");
                }
                copy(
                        connection,
                        "COPY fieldservice_stage_visit (" + VisitCopy.COLUMNS + ") FROM STDIN (FORMAT binary)",
                        VisitCopy.encode(known, ids::angel, ids::polo, now));
                long t3 = System.nanoTime();
                time.copy += t3 - t2;
                t2 = t3;
                // No ANALYZE of the staging table: the plan (a sort of the chunk, probes of the unique index) does
                // not depend on its statistics, and it cost ~0.13 s per chunk.
                try (Statement upsert = connection.createStatement();
                        ResultSet result = upsert.executeQuery("""
                    WITH upserted AS (
                        INSERT INTO fieldservice_visit AS v (id_atendimento, id_cliente, angel_id, polo_id,
                            data_limite, data_de_atendimento, status, created_at, updated_at)
                        SELECT * FROM fieldservice_stage_visit ORDER BY id_atendimento
                        ON CONFLICT (id_atendimento) WHERE deleted_at IS NULL DO UPDATE SET
                            id_cliente = EXCLUDED.id_cliente, angel_id = EXCLUDED.angel_id,
                            polo_id = EXCLUDED.polo_id, data_limite = EXCLUDED.data_limite,
                            data_de_atendimento = EXCLUDED.data_de_atendimento, status = EXCLUDED.status,
                            updated_at = EXCLUDED.updated_at
                        WHERE (v.id_cliente, v.angel_id, v.polo_id, v.data_limite, v.data_de_atendimento, v.status)
                            IS DISTINCT FROM (EXCLUDED.id_cliente, EXCLUDED.angel_id, EXCLUDED.polo_id,
                                EXCLUDED.data_limite, EXCLUDED.data_de_atendimento, EXCLUDED.status)
                        RETURNING (v.xmax = 0) AS inserted)
                    SELECT count(*) FILTER (WHERE inserted), count(*) FILTER (WHERE NOT inserted) FROM upserted""")) {
                    result.next();
                    inserted += result.getLong(1);
                    updated = result.getLong(2);
                }
            }
            if (row.dryRun()) {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("ROLLBACK TO SAVEPOINT fieldservice_dry_run");
                }
            }
            time.upsert += System.nanoTime() - t2;
        }
        if (!errors.isEmpty()) {
            try (PreparedStatement insert = connection.prepareStatement("""
                    INSERT INTO fieldservice_import_error (import_id, line, column_name, value, code, message, raw)
                    VALUES (?, ?, ?, ?, ?, ?, ?)""")) {
                for (RowValidation.RowError error : errors) {
                    insert.setObject(1, row.id());
                    insert.setLong(2, error.line());
                    insert.setString(3, error.column());
                    insert.setString(4, clip(error.value(), MAX_VALUE));
                    insert.setString(5, error.code());
                    insert.setString(6, error.message());
                    insert.setString(7, clip(error.raw(), MAX_RAW));
                    insert.addBatch();
                }
                insert.executeBatch();
            }
        }
        long unchanged = rows.size() - inserted - updated;
        return new Counts(inserted, updated, unchanged, errors.size());
    }

    /**
     * The rows in id order, which also makes the unique index's inserts local (measured: 1M shuffled rows in 50k
     * chunks, 5.0 s unsorted vs 4.4 s sorted per chunk). Sorts the ids as primitives and places each row at its id's
     * rank (ids are unique within an import: later duplicates are rejected), since sorting 50k rows through a
     * comparator took a quarter of the writer's time.
     */
    static List<RowValidation.Row> byId(List<RowValidation.Row> rows) {
        int n = rows.size();
        long[] ids = new long[n];
        for (int i = 0; i < n; i++) {
            ids[i] = rows.get(i).idAtendimento();
        }
        Arrays.sort(ids);
        RowValidation.Row[] sorted = new RowValidation.Row[n];
        for (RowValidation.Row r : rows) {
            int rank = Arrays.binarySearch(ids, r.idAtendimento());
            if (sorted[rank] != null) {
                List<RowValidation.Row> copy = new ArrayList<>(rows); // a repeated id: not from the reader
                copy.sort(BY_ID);
                return copy;
            }
            sorted[rank] = r;
        }
        return Arrays.asList(sorted);
    }

    private static @Nullable String clip(@Nullable String text, int max) {
        if (text == null) {
            return null;
        }
        String clean = text.replace('\u0000', '\uFFFD');
        return clean.length() <= max ? clean : clean.substring(0, max);
    }

    private static long copy(Connection connection, String sql, byte[] bytes) throws SQLException {
        CopyIn copyIn = connection.unwrap(PGConnection.class).getCopyAPI().copyIn(sql);
        try {
            copyIn.writeToCopy(bytes, 0, bytes.length);
            return copyIn.endCopy();
        } finally {
            if (copyIn.isActive()) {
                copyIn.cancelCopy();
            }
        }
    }

    private OffsetDateTime now() {
        return OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
    }
}

package com.relaycrm.webhooks.subscriptions;

import com.relaycrm.platform.ApiProblem;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/** The delivery rows: what is due, what happened to each attempt, and the delivery log. */
@Service
class Deliveries {

    private static final String LOG_COLUMNS = """
            id, message_id, event_type, status, attempts, next_attempt_at, last_attempt_at, last_response_status,
            last_response_body, last_error, latency_ms, created_at, delivered_at""";

    /** Pending rows looked at per batch: resources whose first pending row lies beyond it wait for a later batch. */
    static final int WINDOW = 1000;

    private final JdbcClient jdbc;
    /** The window's read-only transaction, which holds its planner settings ({@code SET LOCAL}). */
    private final TransactionTemplate window;

    private final Outbox outbox;

    Deliveries(JdbcClient jdbc, Outbox outbox, TransactionTemplate transactions) {
        this.jdbc = jdbc;
        this.outbox = outbox;
        this.window = new TransactionTemplate(Objects.requireNonNull(transactions.getTransactionManager()));
        this.window.setReadOnly(true);
    }

    /** What an attempt sends. */
    record Due(long id, String messageId, String eventType, String body, int attempts) {}

    /** One line of the delivery log. */
    record LogEntry(
            long id,
            String messageId,
            String eventType,
            String status,
            int attempts,
            @Nullable OffsetDateTime nextAttemptAt,
            @Nullable OffsetDateTime lastAttemptAt,
            @Nullable Integer lastResponseStatus,
            @Nullable String lastResponseBody,
            @Nullable String lastError,
            @Nullable Integer latencyMs,
            OffsetDateTime createdAt,
            @Nullable OffsetDateTime deliveredAt) {}

    record LogPage(List<LogEntry> items, @Nullable String nextCursor) {}

    /**
     * Due deliveries of a subscription that are first in line for their resource: a later event of a resource waits
     * while an earlier one is still pending (retrying), so a receiver sees each resource's events in commit order.
     *
     * <p>The heads are found here, not in SQL: the oldest {@code WINDOW} pending rows (small columns, from the partial
     * index in id order) are walked once and the first row of each resource is its head. An anti-join in SQL was
     * quadratic whenever the planner misjudged the table (a fresh one has no statistics), taking seconds per batch.
     */
    List<Due> due(long subscriptionId, OffsetDateTime now, int limit) {
        Set<String> seen = new HashSet<>();
        List<Long> heads = new ArrayList<>();
        // Only an ordered walk of the partial index stops after WINDOW rows. Without fresh statistics (a busy queue
        // table can go minutes without an autovacuum) PostgreSQL estimated a few pending rows and read them all
        // through a bitmap, then sorted: with a backlog of thousands each batch got slower, so the job fell further
        // behind (the live receiver's lag grew to 20 s beside a dead subscription's backlog in bench/webhooks).
        walkWindow(() -> jdbc.sql("""
                            SELECT id, resource_key, next_attempt_at <= :now AS due FROM webhooks_delivery
                            WHERE subscription_id = :sub AND status = 'pending' ORDER BY id LIMIT :window""")
                .param("sub", subscriptionId)
                .param("now", now)
                .param("window", WINDOW)
                .query((RowCallbackHandler) rs -> {
                    boolean head = seen.add(rs.getString("resource_key"));
                    if (head && rs.getBoolean("due") && heads.size() < limit) {
                        heads.add(rs.getLong("id"));
                    }
                }));
        if (heads.isEmpty()) {
            return List.of();
        }
        return jdbc.sql("""
                        SELECT id, message_id, event_type, body, attempts FROM webhooks_delivery
                        WHERE subscription_id = :sub AND id = ANY(:ids) ORDER BY id""")
                .param("sub", subscriptionId)
                .param("ids", heads.toArray(Long[]::new))
                .query((rs, n) -> new Due(
                        rs.getLong("id"),
                        rs.getString("message_id"),
                        rs.getString("event_type"),
                        rs.getString("body"),
                        rs.getInt("attempts")))
                .list();
    }

    /**
     * When the subscription's next sendable delivery is due, if any: the earliest due time among the same oldest
     * {@code WINDOW} pending rows the job picks from (later ones wait for those anyway). Over all pending rows this
     * read and sorted a dead receiver's whole backlog, 0.9 s at 150,000 rows, every time its job went idle.
     */
    @Nullable
    OffsetDateTime nextDue(long subscriptionId) {
        return inWindow(() -> jdbc.sql("""
                            SELECT next_attempt_at FROM (
                                SELECT next_attempt_at FROM webhooks_delivery
                                WHERE subscription_id = :sub AND status = 'pending' ORDER BY id LIMIT :window) oldest
                            ORDER BY next_attempt_at LIMIT 1""")
                .param("sub", subscriptionId)
                .param("window", WINDOW)
                .query(OffsetDateTime.class)
                .optional()
                .orElse(null));
    }

    /**
     * Runs a read of the pending window in a read-only transaction whose planner may only walk the partial index in
     * order (settings local to it, set in one round trip).
     */
    private <T> @Nullable T inWindow(Supplier<@Nullable T> read) {
        return window.execute(status -> {
            jdbc.sql("SELECT set_config('enable_bitmapscan', 'off', true), set_config('enable_sort', 'off', true)")
                    .query((RowCallbackHandler) rs -> {});
            return read.get();
        });
    }

    private void walkWindow(Runnable read) {
        inWindow(() -> {
            read.run();
            return Boolean.TRUE;
        });
    }

    /** What one attempt did: the row's new state ({@code next} set only while it stays pending). */
    record Attempt(
            long id,
            String status,
            @Nullable OffsetDateTime next,
            @Nullable Integer responseStatus,
            @Nullable String responseBody,
            @Nullable String error,
            int latencyMs) {}

    /** Records a batch's attempts in one statement (one round trip instead of one per delivery). */
    void attempted(long subscriptionId, List<Attempt> attempts, OffsetDateTime at) {
        if (attempts.isEmpty()) {
            return;
        }
        jdbc.sql("""
                        UPDATE webhooks_delivery d SET status = u.status, attempts = d.attempts + 1,
                            last_attempt_at = :at, next_attempt_at = u.next, last_response_status = u.code,
                            last_response_body = u.body, last_error = u.error, latency_ms = u.latency,
                            delivered_at = CASE WHEN u.status = 'succeeded' THEN :at ELSE d.delivered_at END
                        FROM unnest(:ids::bigint[], :statuses::text[], :nexts::timestamptz[], :codes::int[],
                                    :bodies::text[], :errors::text[], :latencies::int[])
                             AS u(id, status, next, code, body, error, latency)
                        WHERE d.subscription_id = :sub AND d.id = u.id""")
                .param("sub", subscriptionId)
                .param("at", at)
                .param("ids", attempts.stream().map(Attempt::id).toArray(Long[]::new))
                .param("statuses", attempts.stream().map(Attempt::status).toArray(String[]::new))
                .param(
                        "nexts",
                        attempts.stream()
                                .map(a -> a.next() == null ? null : a.next().toString())
                                .toArray(String[]::new))
                .param("codes", attempts.stream().map(Attempt::responseStatus).toArray(Integer[]::new))
                .param("bodies", attempts.stream().map(Attempt::responseBody).toArray(String[]::new))
                .param("errors", attempts.stream().map(Attempt::error).toArray(String[]::new))
                .param("latencies", attempts.stream().map(Attempt::latencyMs).toArray(Integer[]::new))
                .update();
    }

    /** Deliveries that were due but not tried wait until {@code until}; their attempts are not counted. */
    void hold(long subscriptionId, List<Long> ids, OffsetDateTime until) {
        jdbc.sql("""
                        UPDATE webhooks_delivery SET next_attempt_at = :until
                        WHERE subscription_id = :sub AND id = ANY(:ids) AND status = 'pending'""")
                .param("sub", subscriptionId)
                .param("until", until)
                .param("ids", ids.toArray(Long[]::new))
                .update();
    }

    /**
     * Deletes finished deliveries (succeeded or given up) created before {@code before}, a chunk at a time so no
     * statement holds many row locks or a long transaction; pending ones stay whatever their age. Returns the count.
     */
    long purge(OffsetDateTime before) {
        long total = 0;
        while (true) {
            int deleted = jdbc.sql("""
                            DELETE FROM webhooks_delivery d USING (
                                SELECT subscription_id, id FROM webhooks_delivery
                                WHERE created_at < :before AND status <> 'pending' LIMIT 5000) old
                            WHERE d.subscription_id = old.subscription_id AND d.id = old.id""").param("before", before).update();
            total += deleted;
            if (deleted < 5000) {
                return total;
            }
        }
    }

    /**
     * Deletes deliveries that changes in flight wrote for subscriptions as these were being deleted, and forgets
     * tombstones older than {@code forgetBefore} (long after any such change committed). Returns the deliveries deleted.
     */
    long purgeDeleted(OffsetDateTime forgetBefore) {
        long total = 0;
        for (long subscription : jdbc.sql("SELECT id FROM webhooks_subscription_deleted ORDER BY id")
                .query(Long.class)
                .list()) {
            total += jdbc.sql("DELETE FROM webhooks_delivery WHERE subscription_id = :sub")
                    .param("sub", subscription)
                    .update();
        }
        jdbc.sql("DELETE FROM webhooks_subscription_deleted WHERE deleted_at < :before")
                .param("before", forgetBefore)
                .update();
        return total;
    }

    /**
     * Vacuums the delivery table once finished attempts have left more dead row versions than {@code minDead} plus 1 %
     * of the live rows, and says whether it did. Every attempt's update leaves a dead entry in the pending index, and
     * the delivery job's ordered walk of that index steps over all of them until a VACUUM removes them, so a queue
     * PostgreSQL's autovacuum does not reach (switched off, as on the benchmark machine's server, or a minute behind a
     * busy stream) makes every batch slower: in bench/webhooks the CPU per lead with a subscription grew from 2.1 to
     * 3.8 ms over five minutes. {@code SKIP_LOCKED} leaves the table to an autovacuum already on it; index cleanup is
     * forced because the dead index entries are the point.
     */
    boolean vacuumIfNeeded(long minDead) {
        Boolean due = jdbc.sql("""
                        SELECT n_dead_tup > :min + n_live_tup / 100 FROM pg_stat_user_tables
                        WHERE relid = 'webhooks_delivery'::regclass""")
                .param("min", minDead)
                .query(Boolean.class)
                .optional()
                .orElse(Boolean.FALSE);
        if (!due) {
            return false;
        }
        jdbc.sql("VACUUM (INDEX_CLEANUP ON, SKIP_LOCKED) webhooks_delivery").update();
        return true;
    }

    /** A page of the log, newest first; {@code after} is a previous page's {@code next_cursor}. */
    LogPage log(long subscriptionId, @Nullable Long before, int limit) {
        List<LogEntry> rows = jdbc.sql("SELECT " + LOG_COLUMNS + " FROM webhooks_delivery WHERE subscription_id = :sub"
                        + (before == null ? "" : " AND id < :before") + " ORDER BY id DESC LIMIT :limit")
                .param("sub", subscriptionId)
                .param("before", before != null ? before : Long.valueOf(0L))
                .param("limit", limit + 1)
                .query(Deliveries::entry)
                .list();
        boolean more = rows.size() > limit;
        List<LogEntry> page = more ? rows.subList(0, limit) : rows;
        return new LogPage(page, more ? Long.toString(page.getLast().id()) : null);
    }

    LogEntry entry(long subscriptionId, long deliveryId) {
        return jdbc.sql("SELECT " + LOG_COLUMNS + " FROM webhooks_delivery WHERE subscription_id = :sub AND id = :id")
                .param("sub", subscriptionId)
                .param("id", deliveryId)
                .query(Deliveries::entry)
                .optional()
                .orElseThrow(() -> ApiProblem.notFound(
                        "Delivery " + deliveryId + " of webhook subscription " + subscriptionId + " does not exist"));
    }

    /** Queues the same message (same id and body) again, behind its resource's pending events. */
    LogEntry redeliver(long subscriptionId, long deliveryId, OffsetDateTime now) {
        entry(subscriptionId, deliveryId);
        long id = jdbc.sql("""
                        INSERT INTO webhooks_delivery (subscription_id, message_id, event_type, resource_key, body,
                                                       next_attempt_at, created_at)
                        SELECT subscription_id, message_id, event_type, resource_key, body, :now, :now
                        FROM webhooks_delivery WHERE subscription_id = :sub AND id = :id RETURNING id""")
                .param("sub", subscriptionId)
                .param("now", now)
                .param("id", deliveryId)
                .query((rs, n) -> rs.getLong(1))
                .single();
        return entry(subscriptionId, id);
    }

    /** Queues a {@code ping} for one subscription. */
    LogEntry ping(long subscriptionId, OffsetDateTime now) {
        String messageId = Outbox.newMessageId();
        long id = jdbc.sql("""
                        INSERT INTO webhooks_delivery (subscription_id, message_id, event_type, resource_key, body,
                                                       next_attempt_at, created_at)
                        VALUES (:sub, :message, :type, :key, :body, :now, :now) RETURNING id""")
                .param("sub", subscriptionId)
                .param("message", messageId)
                .param("type", EventCatalogue.PING)
                .param("key", "ping:" + messageId)
                .param(
                        "body",
                        outbox.body(
                                EventCatalogue.PING,
                                now,
                                Map.of("subscription_id", subscriptionId, "message", "Relay webhook test")))
                .param("now", now)
                .query((rs, n) -> rs.getLong(1))
                .single();
        return entry(subscriptionId, id);
    }

    private static LogEntry entry(ResultSet rs, int row) throws SQLException {
        int code = rs.getInt("last_response_status");
        Integer status = rs.wasNull() ? null : code;
        int latency = rs.getInt("latency_ms");
        Integer latencyMs = rs.wasNull() ? null : latency;
        String state = rs.getString("status");
        return new LogEntry(
                rs.getLong("id"),
                rs.getString("message_id"),
                rs.getString("event_type"),
                state,
                rs.getInt("attempts"),
                "pending".equals(state) ? rs.getObject("next_attempt_at", OffsetDateTime.class) : null,
                rs.getObject("last_attempt_at", OffsetDateTime.class),
                status,
                rs.getString("last_response_body"),
                rs.getString("last_error"),
                latencyMs,
                rs.getObject("created_at", OffsetDateTime.class),
                rs.getObject("delivered_at", OffsetDateTime.class));
    }
}

package com.relaycrm.messaging.threads;

import com.relaycrm.messaging.MessageDeleted;
import com.relaycrm.messaging.MessageEdited;
import com.relaycrm.messaging.MessagePosted;
import com.relaycrm.messaging.ThreadCreated;
import com.relaycrm.platform.ApiProblem;
import com.relaycrm.platform.FieldError;
import com.relaycrm.platform.RequestAdmission;
import com.relaycrm.platform.SearchTerms;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Threads and their messages. Every ordering and uniqueness rule is decided by PostgreSQL: the thread row lock hands
 * out {@code seq}, the Idempotency-Key primary key admits one message per key, and NOTIFY (sent in the same
 * transaction) reaches listeners only once the change is committed, in commit order.
 */
@Service
class Threads {

    static final String CHANNEL = "messaging_events";
    private static final Pattern UUID_TEXT =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final String MESSAGE_COLUMNS = "id, seq, username, body, created_at, edited_at, deleted_at";

    private final JdbcClient jdbc;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final ApplicationEventPublisher events;
    private final JsonMapper json;
    private final MessagingProperties properties;

    /**
     * A post waits for the thread's row lock while holding a pooled connection, so a burst into one thread could
     * take the whole pool and starve every other request. Posts to one thread therefore queue here for a turn,
     * without a connection; only {@code writersPerThread} per instance hold one (and wait for the lock) at a time,
     * and {@code lock_timeout} bounds the wait when other instances hold it. Threads share the permits of their
     * stripe: 1,024 stripes keep memory fixed and make two busy threads on one stripe rare.
     */
    private final Semaphore[] writers;

    private final RequestAdmission admission;

    Threads(
            JdbcClient jdbc,
            TransactionTemplate tx,
            Clock clock,
            ApplicationEventPublisher events,
            JsonMapper json,
            MessagingProperties properties,
            RequestAdmission admission) {
        this.admission = admission;
        this.jdbc = jdbc;
        this.tx = tx;
        this.clock = clock;
        this.events = events;
        this.json = json;
        this.properties = properties;
        this.writers = new Semaphore[1024];
        for (int i = 0; i < writers.length; i++) {
            writers[i] = new Semaphore(properties.writersPerThread(), true);
        }
    }

    /** Thread and message ids are UUIDs; anything else cannot name a thread, so it is a 404 like an unknown one. */
    static UUID id(String text, String what) {
        if (text == null || !UUID_TEXT.matcher(text).matches()) {
            throw ApiProblem.notFound(what + " '" + abbreviate(text) + "' does not exist");
        }
        return UUID.fromString(text);
    }

    private static String abbreviate(String text) {
        if (text == null) {
            return "";
        }
        String safe = text.replaceAll("\\p{Cntrl}", "?");
        return safe.length() > 40 ? safe.substring(0, 40) + "..." : safe;
    }

    private OffsetDateTime now() {
        return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
    }

    // ---- threads

    public String openThread(List<String> usernames, String openedBy) {
        List<FieldError> errors = new ArrayList<>();
        if (usernames == null || usernames.size() < 2 || usernames.size() > 100) {
            errors.add(new FieldError("users", "must have 2-100 items"));
        } else {
            for (int i = 0; i < usernames.size(); i++) {
                String name = usernames.get(i) == null ? null : usernames.get(i).strip();
                MessageText.usernameProblem("users[" + i + "]", name).ifPresent(errors::add);
            }
        }
        if (!errors.isEmpty()) {
            throw ApiProblem.invalid(errors);
        }
        return create(usernames.stream().map(String::strip).toList(), openedBy).toString();
    }

    /** Usernames are compared exactly; a name given twice is a 422 that lists every such name once. */
    static void rejectDuplicates(List<String> usernames) {
        Set<String> seen = new LinkedHashSet<>();
        Set<String> duplicates = new LinkedHashSet<>();
        for (String name : usernames) {
            if (!seen.add(name)) {
                duplicates.add(name);
            }
        }
        if (!duplicates.isEmpty()) {
            throw ApiProblem.invalid("users", "contains duplicate usernames: " + String.join(", ", duplicates))
                    .with("duplicates", List.copyOf(duplicates));
        }
    }

    UUID create(List<String> usernames, String createdBy) {
        rejectDuplicates(usernames);
        UUID id = UUID.randomUUID();
        OffsetDateTime now = now();
        tx.executeWithoutResult(status -> {
            jdbc.sql("""
                    INSERT INTO messaging_thread (id, created_at, created_by, last_seq, last_activity_at)
                    VALUES (:id, :now, :by, 0, :now)""")
                    .param("id", id)
                    .param("now", now)
                    .param("by", createdBy)
                    .update();
            jdbc.sql("""
                    INSERT INTO messaging_participant (thread_id, username, position)
                    SELECT :id, u.name, u.position::int FROM unnest(:names::text[]) WITH ORDINALITY AS u(name, position)""")
                    .param("id", id)
                    .param("names", usernames.toArray(String[]::new))
                    .update();
            Map<String, Object> created = new LinkedHashMap<>();
            created.put("thread_id", id.toString());
            created.put("users", usernames);
            created.put("created_by", createdBy);
            created.put("created_at", now);
            events.publishEvent(new ThreadCreated(id.toString(), created));
        });
        return id;
    }

    /** Empty when the thread does not exist; otherwise whether {@code username} takes part in it. */
    Optional<Boolean> membership(UUID thread, String username) {
        return jdbc.sql("""
                SELECT EXISTS (SELECT 1 FROM messaging_participant p WHERE p.thread_id = t.id AND p.username = :username)
                FROM messaging_thread t WHERE t.id = :id""")
                .param("id", thread)
                .param("username", username)
                .query(Boolean.class)
                .optional();
    }

    /** Whether {@code username} takes part, and the thread's current position; empty for an unknown thread. */
    record Access(boolean participant, long lastSeq) {}

    Optional<Access> access(UUID thread, String username) {
        return jdbc.sql("""
                SELECT EXISTS (SELECT 1 FROM messaging_participant p WHERE p.thread_id = t.id AND p.username = :username),
                       t.last_seq
                FROM messaging_thread t WHERE t.id = :id""")
                .param("id", thread)
                .param("username", username)
                .query((rs, row) -> new Access(rs.getBoolean(1), rs.getLong(2)))
                .optional();
    }

    Views.Participants participants(UUID thread) {
        List<Views.Participant> list = jdbc.sql("""
                SELECT username, read_seq FROM messaging_participant WHERE thread_id = :id ORDER BY position""")
                .param("id", thread)
                .query((rs, row) -> new Views.Participant(rs.getString("username"), rs.getLong("read_seq")))
                .list();
        return new Views.Participants(thread.toString(), list);
    }

    // ---- posting

    public long post(String threadId, String username, String text) {
        UUID thread = id(threadId, "Thread");
        MessageText.usernameProblem("username", username).ifPresent(error -> {
            throw ApiProblem.invalid(List.of(error));
        });
        MessageText.problem("message", text).ifPresent(error -> {
            throw ApiProblem.invalid(List.of(error));
        });
        return post(thread, username, text, null).seq();
    }

    void requireParticipant(UUID thread, String username) {
        boolean member = membership(thread, username)
                .orElseThrow(() -> ApiProblem.notFound("Thread " + thread + " does not exist"));
        if (!member) {
            throw ApiProblem.forbidden("'" + abbreviate(username) + "' is not a participant of thread " + thread);
        }
    }

    record Posted(UUID messageId, long seq, boolean replayed) {}

    private record KeyRecord(byte[] fingerprint, OffsetDateTime createdAt, UUID messageId) {}

    /**
     * Stores a message if {@code username} takes part in the thread (404/403 otherwise). Locking the thread row,
     * inserting and NOTIFY are one statement, so a post costs one round trip plus the commit; the NOTIFY payload is
     * completed in SQL because the seq is only known there.
     */
    Posted post(UUID thread, String username, String text, @Nullable String idempotencyKey) {
        Semaphore turn = writers[Math.floorMod(thread.hashCode(), writers.length)];
        try {
            boolean free = turn.tryAcquire();
            if (!free || turn.availablePermits() < properties.writersPerThread() - 1) {
                // This post queues behind others on the same thread (for a turn or for the row lock): waiting on
                // them is not work, so it leaves the request gate, and from here the turns bound these posts.
                admission.leave();
            }
            if (!free && !turn.tryAcquire(properties.writerWait().toMillis(), TimeUnit.MILLISECONDS)) {
                throw busy(thread);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw busy(thread);
        }
        try {
            return store(thread, username, text, idempotencyKey);
        } catch (DataAccessException failure) {
            if (lockTimedOut(failure)) {
                throw busy(thread);
            }
            throw failure;
        } finally {
            turn.release();
        }
    }

    /** PostgreSQL's lock_not_available (55P03), which Spring leaves uncategorized. */
    private static boolean lockTimedOut(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && "55P03".equals(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    private static ApiProblem busy(UUID thread) {
        return ApiProblem.of(
                        HttpStatus.SERVICE_UNAVAILABLE,
                        "thread-busy",
                        "Thread busy",
                        "Too many messages are being posted to thread " + thread + " at once; retry shortly")
                .header("Retry-After", "1");
    }

    private Posted store(UUID thread, String username, String text, @Nullable String idempotencyKey) {
        return tx.execute(status -> {
            jdbc.sql("SELECT set_config('lock_timeout', :timeout, true)")
                    .param("timeout", properties.writerWait().toMillis() + "ms")
                    .query((rs, row) -> rs.getString(1))
                    .single();
            OffsetDateTime now = now();
            if (idempotencyKey != null) {
                Optional<Posted> earlier = claimKey(thread, username, text, idempotencyKey, now);
                if (earlier.isPresent()) {
                    return earlier.get();
                }
            }
            UUID id = UUID.randomUUID();
            String[] payload = payloadAroundSeq(
                    thread, new Views.MessageView(username, text, id.toString(), SEQ_PLACEHOLDER, now, null, null));
            Optional<Long> stored = jdbc.sql("""
                    WITH t AS (
                        UPDATE messaging_thread
                        SET last_seq = last_seq + 1, last_activity_at = greatest(last_activity_at, :now)
                        WHERE id = :thread AND EXISTS (SELECT 1 FROM messaging_participant p
                                                       WHERE p.thread_id = :thread AND p.username = :username)
                        RETURNING last_seq),
                    m AS (
                        INSERT INTO messaging_message (id, thread_id, seq, username, body, created_at)
                        SELECT :id, :thread, t.last_seq, :username, :body, :now FROM t
                        RETURNING seq)
                    SELECT m.seq, pg_notify(:channel, :head || m.seq || :middle || m.seq || :tail) FROM m""")
                    .param("thread", thread)
                    .param("now", now)
                    .param("id", id)
                    .param("username", username)
                    .param("body", text)
                    .param("channel", CHANNEL)
                    .param("head", payload[0])
                    .param("middle", payload[1])
                    .param("tail", payload[2])
                    .query((rs, row) -> rs.getLong(1))
                    .optional();
            if (stored.isEmpty()) {
                requireParticipant(thread, username);
                throw new IllegalStateException("thread " + thread + " refused a message for no known reason");
            }
            long seq = stored.get();
            if (idempotencyKey != null) {
                jdbc.sql(
                                "UPDATE messaging_idempotency_key SET message_id = :id WHERE username = :username AND key = :key")
                        .param("id", id)
                        .param("username", username)
                        .param("key", idempotencyKey)
                        .update();
            }
            events.publishEvent(new MessagePosted(
                    thread.toString(),
                    id.toString(),
                    seq,
                    username,
                    now,
                    Views.EventData.of(
                            thread.toString(),
                            new Views.MessageView(username, text, id.toString(), seq, now, null, null))));
            return new Posted(id, seq, false);
        });
    }

    private static final long SEQ_PLACEHOLDER = Long.MIN_VALUE;

    /** The created event's payload split where its seq goes: "thread " + seq + " message.created {...": seq ...}". */
    private String[] payloadAroundSeq(UUID thread, Views.MessageView view) {
        String data = data(thread, view);
        String marker = "\"seq\":" + SEQ_PLACEHOLDER;
        int at = data.indexOf(marker);
        return new String[] {
            thread + " ",
            " " + ThreadEvent.CREATED + " " + data.substring(0, at) + "\"seq\":",
            data.substring(at + marker.length())
        };
    }

    /**
     * Takes the key for this request, or finds who has it. A concurrent holder makes the insert wait for its commit,
     * so ten simultaneous requests with one key store one message. A key older than the window is taken over.
     */
    private Optional<Posted> claimKey(UUID thread, String username, String text, String key, OffsetDateTime now) {
        byte[] fingerprint = fingerprint(thread, username, text);
        for (int attempt = 0; attempt < 3; attempt++) {
            int inserted = jdbc.sql("""
                    INSERT INTO messaging_idempotency_key (username, key, fingerprint, created_at)
                    VALUES (:username, :key, :fingerprint, :now) ON CONFLICT DO NOTHING""")
                    .param("username", username)
                    .param("key", key)
                    .param("fingerprint", fingerprint)
                    .param("now", now)
                    .update();
            if (inserted == 1) {
                return Optional.empty();
            }
            Optional<KeyRecord> existing = jdbc.sql("""
                    SELECT fingerprint, created_at, message_id FROM messaging_idempotency_key
                    WHERE username = :username AND key = :key FOR UPDATE""")
                    .param("username", username)
                    .param("key", key)
                    .query((rs, row) -> new KeyRecord(
                            rs.getBytes("fingerprint"),
                            rs.getObject("created_at", OffsetDateTime.class),
                            rs.getObject("message_id", UUID.class)))
                    .optional();
            if (existing.isEmpty()) {
                continue; // removed by the clean-up job between our two statements
            }
            KeyRecord record = existing.get();
            if (record.createdAt().isBefore(now.minus(properties.idempotencyWindow()))) {
                jdbc.sql("""
                        UPDATE messaging_idempotency_key SET fingerprint = :fingerprint, created_at = :now, message_id = NULL
                        WHERE username = :username AND key = :key""")
                        .param("fingerprint", fingerprint)
                        .param("now", now)
                        .param("username", username)
                        .param("key", key)
                        .update();
                return Optional.empty();
            }
            if (!MessageDigest.isEqual(record.fingerprint(), fingerprint)) {
                throw ApiProblem.conflict(
                        "Idempotency-Key '" + abbreviate(key) + "' was already used with a different request");
            }
            long seq = record.messageId() == null
                    ? 0
                    : jdbc.sql("SELECT seq FROM messaging_message WHERE id = :id")
                            .param("id", record.messageId())
                            .query(Long.class)
                            .optional()
                            .orElse(0L);
            return Optional.of(new Posted(record.messageId(), seq, true));
        }
        throw ApiProblem.conflict("Idempotency-Key '" + abbreviate(key) + "' is being used concurrently; retry");
    }

    private static byte[] fingerprint(UUID thread, String username, String text) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update((thread + "\n" + username + "\n").getBytes(StandardCharsets.UTF_8));
            digest.update(text.getBytes(StandardCharsets.UTF_8));
            return digest.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    int forgetExpiredKeys() {
        return jdbc.sql("DELETE FROM messaging_idempotency_key WHERE created_at < :cutoff")
                .param("cutoff", now().minus(properties.idempotencyWindow()))
                .update();
    }

    // ---- edit and delete

    private record Authored(String username, boolean deleted) {}

    /** Edits and deletes take a new thread position too, so SSE clients resuming after it hear about the change. */
    Views.@Nullable MessageView change(
            UUID thread, UUID message, java.util.function.Predicate<String> mayActAs, @Nullable String newText) {
        return tx.execute(status -> {
            Authored authored = jdbc.sql("""
                    SELECT username, deleted_at IS NOT NULL AS deleted FROM messaging_message
                    WHERE id = :id AND thread_id = :thread FOR UPDATE""")
                    .param("id", message)
                    .param("thread", thread)
                    .query((rs, row) -> new Authored(rs.getString("username"), rs.getBoolean("deleted")))
                    .optional()
                    .orElseThrow(
                            () -> ApiProblem.notFound("Message " + message + " does not exist in thread " + thread));
            if (!mayActAs.test(authored.username())) {
                throw ApiProblem.forbidden(
                        "Only the author of a message may " + (newText == null ? "delete" : "edit") + " it");
            }
            if (authored.deleted()) {
                if (newText == null) {
                    return null; // deleting twice changes nothing
                }
                throw ApiProblem.conflict("Message " + message + " was deleted and cannot be edited");
            }
            OffsetDateTime now = now();
            long seq = jdbc.sql(
                            "UPDATE messaging_thread SET last_seq = last_seq + 1 WHERE id = :thread RETURNING last_seq")
                    .param("thread", thread)
                    .query(Long.class)
                    .single();
            Views.MessageView view = jdbc.sql(
                            newText == null
                                    ? "UPDATE messaging_message SET body = NULL, deleted_at = :now, changed_seq = :seq WHERE id = :id RETURNING "
                                            + MESSAGE_COLUMNS
                                    : "UPDATE messaging_message SET body = :body, edited_at = :now, changed_seq = :seq WHERE id = :id RETURNING "
                                            + MESSAGE_COLUMNS)
                    .param("now", now)
                    .param("seq", seq)
                    .param("id", message)
                    .param("body", newText)
                    .query(Threads::message)
                    .single();
            notify(new ThreadEvent(
                    thread, seq, newText == null ? ThreadEvent.DELETED : ThreadEvent.EDITED, data(thread, view)));
            Views.EventData data = Views.EventData.of(thread.toString(), view);
            events.publishEvent(
                    newText == null
                            ? new MessageDeleted(thread.toString(), view.id(), data)
                            : new MessageEdited(thread.toString(), view.id(), data));
            return view;
        });
    }

    // ---- reading

    Views.MessagePage page(UUID thread, @Nullable Long after, @Nullable Long before, int limit) {
        return page(thread, after, before, limit, null);
    }

    /** As the plain page; with {@code q} only live messages matching it (see {@link MessageSearch#condition}). */
    Views.MessagePage page(
            UUID thread, @Nullable Long after, @Nullable Long before, int limit, @Nullable SearchTerms q) {
        Map<String, Object> params = new HashMap<>();
        String match = q == null ? "" : " AND " + MessageSearch.condition(q, params);
        if (before != null) {
            List<Views.MessageView> newestFirst = jdbc.sql("SELECT " + MESSAGE_COLUMNS
                            + " FROM messaging_message WHERE thread_id = :thread AND seq < :before" + match
                            + " ORDER BY seq DESC LIMIT :limit")
                    .params(params)
                    .param("thread", thread)
                    .param("before", before)
                    .param("limit", limit + 1)
                    .query(Threads::message)
                    .list();
            boolean more = newestFirst.size() > limit;
            List<Views.MessageView> page = new ArrayList<>(newestFirst.subList(0, Math.min(limit, newestFirst.size())));
            page.sort(Comparator.comparingLong(Views.MessageView::seq));
            String prev = more ? Cursor.ofSeq(page.getFirst().seq()) : null;
            return new Views.MessagePage(page, null, prev);
        }
        List<Views.MessageView> list = jdbc.sql("SELECT " + MESSAGE_COLUMNS
                        + " FROM messaging_message WHERE thread_id = :thread AND seq > :after" + match
                        + " ORDER BY seq LIMIT :limit")
                .params(params)
                .param("thread", thread)
                .param("after", after == null ? Long.valueOf(0) : after)
                .param("limit", limit + 1)
                .query(Threads::message)
                .list();
        boolean more = list.size() > limit;
        List<Views.MessageView> page = more ? list.subList(0, limit) : list;
        return new Views.MessagePage(page, more ? Cursor.ofSeq(page.getLast().seq()) : null, null);
    }

    /** Every message of the thread (with {@code q}, the live ones matching it) in seq order, through a cursor. */
    void forEach(UUID thread, @Nullable SearchTerms q, java.util.function.Consumer<? super Views.MessageView> each) {
        Map<String, Object> params = new HashMap<>();
        String match = q == null ? "" : " AND " + MessageSearch.condition(q, params);
        jdbc.sql("SELECT " + MESSAGE_COLUMNS + " FROM messaging_message WHERE thread_id = :thread" + match
                        + " ORDER BY seq")
                .params(params)
                .param("thread", thread)
                .withFetchSize(com.relaycrm.platform.Exports.FETCH_SIZE)
                .query(rs -> {
                    each.accept(message(rs, 0));
                });
    }

    static Views.MessageView message(ResultSet rs, int row) throws SQLException {
        boolean deleted = rs.getObject("deleted_at") != null;
        return new Views.MessageView(
                rs.getString("username"),
                rs.getString("body"),
                rs.getString("id"),
                rs.getLong("seq"),
                rs.getObject("created_at", OffsetDateTime.class),
                rs.getObject("edited_at", OffsetDateTime.class),
                deleted ? Boolean.TRUE : null);
    }

    Views.Inbox inbox(String username, Cursor.@Nullable Activity after, int limit) {
        List<Views.ThreadSummary> rows = jdbc.sql("""
                SELECT t.id AS thread_id, t.last_seq, t.last_activity_at, p.read_seq,
                       (SELECT array_agg(q.username ORDER BY q.position) FROM messaging_participant q
                        WHERE q.thread_id = t.id) AS users,
                       (SELECT count(*) FROM messaging_message u
                        WHERE u.thread_id = t.id AND u.seq > p.read_seq AND u.username <> p.username
                          AND u.deleted_at IS NULL) AS unread_count,
                       m.id, m.seq, m.username, m.body, m.created_at, m.edited_at, m.deleted_at
                FROM messaging_participant p
                JOIN messaging_thread t ON t.id = p.thread_id
                LEFT JOIN LATERAL (SELECT * FROM messaging_message l WHERE l.thread_id = t.id
                                   ORDER BY l.seq DESC LIMIT 1) m ON TRUE
                WHERE p.username = :username
                  AND (CAST(:afterAt AS timestamptz) IS NULL OR (t.last_activity_at, t.id) < (:afterAt, :afterId))
                ORDER BY t.last_activity_at DESC, t.id DESC
                LIMIT :limit""")
                .param("username", username)
                .param(
                        "afterAt",
                        after == null ? null : after.at().atOffset(ZoneOffset.UTC),
                        java.sql.Types.TIMESTAMP_WITH_TIMEZONE)
                .param("afterId", after == null ? new UUID(0, 0) : after.threadId())
                .param("limit", limit + 1)
                .query((rs, row) -> new Views.ThreadSummary(
                        rs.getString("thread_id"),
                        strings(rs.getArray("users")),
                        rs.getString("id") == null ? null : message(rs, row),
                        rs.getLong("unread_count"),
                        rs.getLong("last_seq"),
                        rs.getLong("read_seq"),
                        rs.getObject("last_activity_at", OffsetDateTime.class)))
                .list();
        boolean more = rows.size() > limit;
        List<Views.ThreadSummary> page = more ? rows.subList(0, limit) : rows;
        String next = more
                ? Cursor.ofActivity(
                        page.getLast().lastActivityAt().toInstant(),
                        UUID.fromString(page.getLast().threadId()))
                : null;
        return new Views.Inbox(page, next);
    }

    private static List<String> strings(Array array) throws SQLException {
        return array == null
                ? List.of()
                : Arrays.stream((Object[]) array.getArray())
                        .map(String::valueOf)
                        .toList();
    }

    /** Moves the read horizon forward only, never past the thread's newest position. */
    Views.ReadState markRead(UUID thread, String username, long upTo) {
        return jdbc.sql("""
                WITH r AS (
                    UPDATE messaging_participant p
                    SET read_seq = greatest(p.read_seq, least(:upTo, (SELECT last_seq FROM messaging_thread WHERE id = :thread)))
                    WHERE p.thread_id = :thread AND p.username = :username
                    RETURNING p.read_seq)
                SELECT r.read_seq,
                       (SELECT count(*) FROM messaging_message u WHERE u.thread_id = :thread AND u.seq > r.read_seq
                          AND u.username <> :username AND u.deleted_at IS NULL) AS unread_count
                FROM r""")
                .param("thread", thread)
                .param("username", username)
                .param("upTo", upTo)
                .query((rs, row) -> new Views.ReadState(
                        thread.toString(), username, rs.getLong("read_seq"), rs.getLong("unread_count")))
                .single();
    }

    // ---- realtime

    /** Events a client missed after {@code afterSeq}; each carries the message as it is now (deleted text stays gone). */
    List<ThreadEvent> eventsAfter(UUID thread, long afterSeq, int limit) {
        List<ThreadEvent> replay = new ArrayList<>();
        jdbc.sql("SELECT " + MESSAGE_COLUMNS + ", changed_seq " + """
                 FROM messaging_message
                WHERE thread_id = :thread AND (seq > :after OR changed_seq > :after)
                ORDER BY greatest(seq, coalesce(changed_seq, 0)) LIMIT :limit""")
                .param("thread", thread)
                .param("after", afterSeq)
                .param("limit", limit)
                .query((rs, row) -> {
                    Views.MessageView view = message(rs, row);
                    String data = data(thread, view);
                    if (view.seq() > afterSeq) {
                        replay.add(new ThreadEvent(thread, view.seq(), ThreadEvent.CREATED, data));
                    }
                    long changed = rs.getLong("changed_seq");
                    if (!rs.wasNull() && changed > afterSeq) {
                        replay.add(new ThreadEvent(
                                thread,
                                changed,
                                view.deleted() != null ? ThreadEvent.DELETED : ThreadEvent.EDITED,
                                data));
                    }
                    return view;
                })
                .list();
        replay.sort(Comparator.comparingLong(ThreadEvent::seq));
        return replay;
    }

    private String data(UUID thread, Views.MessageView view) {
        return json.writeValueAsString(Views.EventData.of(thread.toString(), view));
    }

    private void notify(ThreadEvent event) {
        jdbc.sql("SELECT pg_notify(:channel, :payload)")
                .param("channel", CHANNEL)
                .param("payload", event.payload())
                .query((rs, row) -> 1)
                .list();
    }
}

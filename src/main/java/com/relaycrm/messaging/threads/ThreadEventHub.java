package com.relaycrm.messaging.threads;

import com.relaycrm.messaging.MessagingApi.StreamGuard;
import com.relaycrm.platform.Actor;
import com.relaycrm.platform.ApiProblem;
import com.relaycrm.platform.TokenCheck;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyEmitter.DataWithMediaType;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * The SSE subscribers of this instance, by thread. Every event reaches it from the LISTEN connection (also events
 * posted on this instance), so local and remote messages take one path. Each subscriber has its own queue and
 * virtual thread: a slow client delays only itself, the stream stays in seq order, and an idle queue turns into a
 * heartbeat. A stream lives only as long as its authority: twice per heartbeat interval one query checks the tokens
 * of all open streams (and one per {@link StreamGuard} their sessions), and the streams that lost theirs end.
 */
@Component
class ThreadEventHub implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ThreadEventHub.class);
    private static final long RECONNECT_HINT_MILLIS = 2_000;
    private static final long STREAM_RETRY_AFTER_SECONDS = 5;
    private static final Frame CLOSE = new Frame(Long.MAX_VALUE, new byte[0]);
    private static final Set<DataWithMediaType> CONNECTED =
            chunk(("retry:" + RECONNECT_HINT_MILLIS + "\n:connected\n\n").getBytes(StandardCharsets.UTF_8));
    private static final Set<DataWithMediaType> HEARTBEAT = chunk(":heartbeat\n\n".getBytes(StandardCharsets.UTF_8));

    private final Threads threads;
    private final MessagingProperties properties;
    private final TokenCheck tokens;
    private final ConcurrentHashMap<UUID, Set<Subscriber>> subscribers = new ConcurrentHashMap<>();
    /** Open streams per caller ("token:<id>" or "session:<key>"), for the per-caller cap. */
    private final ConcurrentHashMap<String, Integer> streamsPerCaller = new ConcurrentHashMap<>();

    private volatile boolean running;
    private @Nullable ScheduledExecutorService authorityChecks;

    ThreadEventHub(Threads threads, MessagingProperties properties, TokenCheck tokens) {
        this.threads = threads;
        this.properties = properties;
        this.tokens = tokens;
    }

    private record Guarded(StreamGuard guard, String key) {}

    /**
     * An event as the bytes of one SSE frame. A message reaches every subscriber of its thread, so it is framed once
     * and each stream writes the same bytes as a single chunk, rather than each building its own event through
     * {@code SseEmitter.event()} and three message-converter writes.
     */
    private record Frame(long seq, byte[] bytes) {

        static Frame of(ThreadEvent event) {
            StringBuilder text = new StringBuilder(event.data().length() + 64)
                    .append("id:")
                    .append(event.seq())
                    .append("\nevent:")
                    .append(event.type())
                    // One data line: the payload is compact JSON, in which Jackson escapes every line break.
                    .append("\ndata:")
                    .append(event.data())
                    .append("\n\n");
            return new Frame(event.seq(), text.toString().getBytes(StandardCharsets.UTF_8));
        }
    }

    private static Set<DataWithMediaType> chunk(byte[] bytes) {
        return Set.of(new DataWithMediaType(bytes, MediaType.TEXT_EVENT_STREAM));
    }

    /**
     * Opens a stream for a participant (or a service token). With {@code lastEventId} the client first receives what
     * it missed after that seq; without it, only what happens from now on. The subscriber is registered before the
     * thread's position is read, in the same query as the access check, so nothing committed in between is lost.
     */
    SseEmitter subscribe(
            UUID thread,
            Actor actor,
            @Nullable Long lastEventId,
            @Nullable StreamGuard guard,
            @Nullable String guardKey,
            boolean participantsOnly) {
        // A console stream counts against its session, an API stream against its token.
        String caller = guardKey != null ? "session:" + guardKey : "token:" + actor.tokenId();
        if (!claimStream(caller)) {
            throw ApiProblem.tooManyRequests(
                    "At most " + properties.maxStreamsPerCaller()
                            + " event streams may be open at once; close one or retry later",
                    STREAM_RETRY_AFTER_SECONDS);
        }
        SseEmitter emitter = new SseEmitter(properties.streamTimeout().toMillis());
        Subscriber subscriber = new Subscriber(
                thread,
                emitter,
                lastEventId,
                actor.tokenId(),
                guard == null || guardKey == null ? null : new Guarded(guard, guardKey),
                caller);
        subscribers
                .computeIfAbsent(thread, key -> ConcurrentHashMap.newKeySet())
                .add(subscriber);
        Threads.Access access;
        try {
            access = threads.access(thread, actor.username())
                    .orElseThrow(() -> ApiProblem.notFound("Thread " + thread + " does not exist"));
            if (!access.participant() && (participantsOnly || !Acting.onBehalfOfAnyone(actor))) {
                throw ApiProblem.forbidden("Only the thread's participants may read it");
            }
        } catch (RuntimeException e) {
            remove(subscriber);
            throw e;
        }
        subscriber.position = lastEventId != null ? lastEventId : access.lastSeq();
        emitter.onCompletion(subscriber::close);
        emitter.onTimeout(subscriber::close);
        emitter.onError(failure -> subscriber.close());
        Thread.ofVirtual().name("messaging-sse-" + thread).start(subscriber);
        return emitter;
    }

    void dispatch(ThreadEvent event) {
        Set<Subscriber> listeners = subscribers.get(event.threadId());
        if (listeners != null) {
            Frame frame = Frame.of(event);
            for (Subscriber subscriber : listeners) {
                if (!subscriber.queue.offer(frame)) {
                    // A client this far behind is not reading: end its stream rather than buffer without bound. It
                    // reconnects with Last-Event-ID and is replayed what it missed from the database.
                    subscriber.close();
                }
            }
        }
    }

    private boolean claimStream(String caller) {
        boolean[] claimed = {false};
        streamsPerCaller.compute(caller, (key, open) -> {
            int count = open == null ? 0 : open;
            if (count >= properties.maxStreamsPerCaller()) {
                return open;
            }
            claimed[0] = true;
            return count + 1;
        });
        return claimed[0];
    }

    private void releaseStream(String caller) {
        streamsPerCaller.computeIfPresent(caller, (key, open) -> open <= 1 ? null : open - 1);
    }

    /** After the LISTEN connection was lost: replays from the database what each subscribed thread may have missed. */
    void catchUp() {
        for (var entry : subscribers.entrySet()) {
            long from =
                    entry.getValue().stream().mapToLong(s -> s.position).min().orElse(Long.MAX_VALUE);
            if (from == Long.MAX_VALUE) {
                continue;
            }
            List<ThreadEvent> missed = threads.eventsAfter(entry.getKey(), from, properties.replayLimit());
            if (!missed.isEmpty()) {
                log.info(
                        "Replaying {} messaging event(s) of thread {} missed while disconnected",
                        missed.size(),
                        entry.getKey());
            }
            missed.forEach(this::dispatch);
        }
    }

    /**
     * Ends the streams whose token was revoked or whose guard no longer vouches for them, in one query for all
     * tokens and one per guard. While the database cannot answer, streams stay open: ending them all would only
     * turn a blip into a reconnect storm against the same database.
     */
    void checkAuthority() {
        List<Subscriber> open =
                subscribers.values().stream().flatMap(Set::stream).toList();
        if (open.isEmpty()) {
            return;
        }
        try {
            Set<Long> tokenIds = new HashSet<>();
            Map<StreamGuard, Set<String>> guardKeys = new HashMap<>();
            for (Subscriber subscriber : open) {
                tokenIds.add(subscriber.tokenId);
                Guarded guarded = subscriber.guarded;
                if (guarded != null) {
                    guardKeys
                            .computeIfAbsent(guarded.guard(), g -> new HashSet<>())
                            .add(guarded.key());
                }
            }
            Set<Long> liveTokens = tokens.liveAmong(tokenIds);
            Map<StreamGuard, Set<String>> valid = new HashMap<>();
            guardKeys.forEach((guard, keys) -> valid.put(guard, guard.stillValid(keys)));
            for (Subscriber subscriber : open) {
                Guarded guarded = subscriber.guarded;
                boolean allowed = liveTokens.contains(subscriber.tokenId)
                        && (guarded == null
                                || valid.getOrDefault(guarded.guard(), Set.of()).contains(guarded.key()));
                if (!allowed) {
                    subscriber.close();
                }
            }
        } catch (RuntimeException e) {
            log.warn("Could not check the authority of {} open SSE stream(s); checking again shortly", open.size(), e);
        }
    }

    int subscriberCount() {
        return subscribers.values().stream().mapToInt(Set::size).sum();
    }

    private void remove(Subscriber subscriber) {
        boolean[] removed = {false};
        subscribers.computeIfPresent(subscriber.thread, (key, set) -> {
            removed[0] = set.remove(subscriber);
            return set.isEmpty() ? null : set;
        });
        if (removed[0]) {
            releaseStream(subscriber.caller);
        }
    }

    private final class Subscriber implements Runnable {

        private final UUID thread;
        private final SseEmitter emitter;
        private final @Nullable Long resumeAfter;
        private final long tokenId;
        private final @Nullable Guarded guarded;
        private final String caller;
        private final LinkedBlockingQueue<Frame> queue = new LinkedBlockingQueue<>(properties.subscriberQueue());
        /** Set by {@link #close}; checked after every poll, because a full queue has no room for CLOSE. */
        private volatile boolean closing;
        /** Highest seq this client has been sent (or, for a live stream, the thread's seq when it subscribed). */
        private volatile long position = Long.MAX_VALUE;

        Subscriber(
                UUID thread,
                SseEmitter emitter,
                @Nullable Long resumeAfter,
                long tokenId,
                @Nullable Guarded guarded,
                String caller) {
            this.thread = thread;
            this.emitter = emitter;
            this.resumeAfter = resumeAfter;
            this.tokenId = tokenId;
            this.guarded = guarded;
            this.caller = caller;
        }

        @Override
        public void run() {
            try {
                emitter.send(CONNECTED);
                if (resumeAfter != null) {
                    for (ThreadEvent missed : threads.eventsAfter(thread, resumeAfter, properties.replayLimit())) {
                        send(Frame.of(missed));
                    }
                }
                long heartbeat = properties.heartbeat().toMillis();
                while (true) {
                    Frame frame = queue.poll(heartbeat, TimeUnit.MILLISECONDS);
                    if (frame == CLOSE || closing) {
                        break;
                    }
                    if (frame == null) {
                        emitter.send(HEARTBEAT);
                    } else {
                        send(frame);
                    }
                }
                emitter.complete();
            } catch (IOException | IllegalStateException e) {
                // The client went away (or the stream timed out); nothing to tell anyone.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                log.warn("SSE stream for thread {} failed", thread, e);
                emitter.completeWithError(e);
            } finally {
                remove(this);
            }
        }

        private void send(Frame frame) throws IOException {
            if (frame.seq() <= position) {
                return;
            }
            emitter.send(chunk(frame.bytes()));
            position = frame.seq();
        }

        void close() {
            closing = true;
            queue.offer(CLOSE);
        }
    }

    @Override
    public void start() {
        // Twice per heartbeat, so a stream ends at most one heartbeat interval after it lost its authority.
        long period = Math.max(1, properties.heartbeat().toMillis() / 2);
        ScheduledExecutorService checks = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("messaging-sse-authority").factory());
        checks.scheduleWithFixedDelay(this::checkAuthority, period, period, TimeUnit.MILLISECONDS);
        authorityChecks = checks;
        running = true;
    }

    /** Ends every stream before the web server's graceful shutdown, which would otherwise wait for them. */
    @Override
    public void stop() {
        running = false;
        ScheduledExecutorService checks = authorityChecks;
        if (checks != null) {
            checks.shutdownNow();
            authorityChecks = null;
        }
        subscribers.values().forEach(set -> set.forEach(Subscriber::close));
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}

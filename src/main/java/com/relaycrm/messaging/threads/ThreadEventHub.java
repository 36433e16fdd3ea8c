package com.relaycrm.messaging.threads;

import com.relaycrm.platform.Actor;
import com.relaycrm.platform.ApiProblem;
import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * The SSE subscribers of this instance, by thread. Every event reaches it from the LISTEN connection (also events
 * posted on this instance), so local and remote messages take one path. Each subscriber has its own queue and
 * virtual thread: a slow client delays only itself, the stream stays in seq order, and an idle queue turns into a
 * heartbeat.
 */
@Component
class ThreadEventHub implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ThreadEventHub.class);
    private static final ThreadEvent CLOSE = new ThreadEvent(new UUID(0, 0), Long.MAX_VALUE, "close", "");
    private static final long RECONNECT_HINT_MILLIS = 2_000;

    private final Threads threads;
    private final MessagingProperties properties;
    private final ConcurrentHashMap<UUID, Set<Subscriber>> subscribers = new ConcurrentHashMap<>();
    private volatile boolean running;

    ThreadEventHub(Threads threads, MessagingProperties properties) {
        this.threads = threads;
        this.properties = properties;
    }

    /**
     * Opens a stream for a participant (or a service token). With {@code lastEventId} the client first receives what
     * it missed after that seq; without it, only what happens from now on. The subscriber is registered before the
     * thread's position is read, in the same query as the access check, so nothing committed in between is lost.
     */
    SseEmitter subscribe(UUID thread, Actor actor, @Nullable Long lastEventId) {
        SseEmitter emitter = new SseEmitter(properties.streamTimeout().toMillis());
        Subscriber subscriber = new Subscriber(thread, emitter, lastEventId);
        subscribers
                .computeIfAbsent(thread, key -> ConcurrentHashMap.newKeySet())
                .add(subscriber);
        Threads.Access access;
        try {
            access = threads.access(thread, actor.username())
                    .orElseThrow(() -> ApiProblem.notFound("Thread " + thread + " does not exist"));
            if (!access.participant() && !Acting.onBehalfOfAnyone(actor)) {
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
            for (Subscriber subscriber : listeners) {
                subscriber.queue.offer(event);
            }
        }
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

    int subscriberCount() {
        return subscribers.values().stream().mapToInt(Set::size).sum();
    }

    private void remove(Subscriber subscriber) {
        subscribers.computeIfPresent(subscriber.thread, (key, set) -> {
            set.remove(subscriber);
            return set.isEmpty() ? null : set;
        });
    }

    private final class Subscriber implements Runnable {

        private final UUID thread;
        private final SseEmitter emitter;
        private final @Nullable Long resumeAfter;
        private final LinkedBlockingQueue<ThreadEvent> queue = new LinkedBlockingQueue<>();
        /** Highest seq this client has been sent (or, for a live stream, the thread's seq when it subscribed). */
        private volatile long position = Long.MAX_VALUE;

        Subscriber(UUID thread, SseEmitter emitter, @Nullable Long resumeAfter) {
            this.thread = thread;
            this.emitter = emitter;
            this.resumeAfter = resumeAfter;
        }

        @Override
        public void run() {
            try {
                emitter.send(
                        SseEmitter.event().reconnectTime(RECONNECT_HINT_MILLIS).comment("connected"));
                if (resumeAfter != null) {
                    for (ThreadEvent missed : threads.eventsAfter(thread, resumeAfter, properties.replayLimit())) {
                        send(missed);
                    }
                }
                long heartbeat = properties.heartbeat().toMillis();
                while (true) {
                    ThreadEvent event = queue.poll(heartbeat, TimeUnit.MILLISECONDS);
                    if (event == CLOSE) {
                        break;
                    }
                    if (event == null) {
                        emitter.send(SseEmitter.event().comment("heartbeat"));
                    } else {
                        send(event);
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

        private void send(ThreadEvent event) throws IOException {
            if (event.seq() <= position) {
                return;
            }
            emitter.send(SseEmitter.event()
                    .id(Long.toString(event.seq()))
                    .name(event.type())
                    .data(event.data(), MediaType.TEXT_PLAIN));
            position = event.seq();
        }

        void close() {
            queue.offer(CLOSE);
        }
    }

    @Override
    public void start() {
        running = true;
    }

    /** Ends every stream before the web server's graceful shutdown, which would otherwise wait for them. */
    @Override
    public void stop() {
        running = false;
        subscribers.values().forEach(set -> set.forEach(Subscriber::close));
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}

package com.relaycrm.messaging.threads;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Messaging settings ({@code RELAY_MESSAGING_*}): SSE heartbeat and maximum stream length, how long an
 * Idempotency-Key is remembered, how many events a reconnecting client may be replayed, and how many posts to one
 * thread may hold a database connection at once on this instance ({@code writersPerThread}) and how long a post waits
 * for its turn and for the thread's row lock ({@code writerWait}) before answering 503. A token (or a console
 * session) may hold {@code maxStreamsPerCaller} open event streams on an instance (429 beyond); a stream whose client
 * falls {@code subscriberQueue} events behind is closed, and the client resumes with {@code Last-Event-ID}.
 */
@ConfigurationProperties("relay.messaging")
record MessagingProperties(
        @DefaultValue("PT15S") Duration heartbeat,
        @DefaultValue("PT30M") Duration streamTimeout,
        @DefaultValue("PT24H") Duration idempotencyWindow,
        @DefaultValue("10000") int replayLimit,
        @DefaultValue("PT1H") Duration cleanupInterval,
        @DefaultValue("4") int writersPerThread,
        @DefaultValue("PT3S") Duration writerWait,
        @DefaultValue("10") int maxStreamsPerCaller,
        @DefaultValue("1000") int subscriberQueue) {

    MessagingProperties {
        require(heartbeat, "RELAY_MESSAGING_HEARTBEAT");
        require(streamTimeout, "RELAY_MESSAGING_STREAM_TIMEOUT");
        require(idempotencyWindow, "RELAY_MESSAGING_IDEMPOTENCY_WINDOW");
        require(cleanupInterval, "RELAY_MESSAGING_CLEANUP_INTERVAL");
        require(writerWait, "RELAY_MESSAGING_WRITER_WAIT");
        if (writersPerThread < 1) {
            throw new IllegalArgumentException(
                    "RELAY_MESSAGING_WRITERS_PER_THREAD must be at least 1 (got " + writersPerThread + ")");
        }
        if (maxStreamsPerCaller < 1) {
            throw new IllegalArgumentException(
                    "RELAY_MESSAGING_MAX_STREAMS_PER_CALLER must be at least 1 (got " + maxStreamsPerCaller + ")");
        }
        if (subscriberQueue < 1) {
            throw new IllegalArgumentException(
                    "RELAY_MESSAGING_SUBSCRIBER_QUEUE must be at least 1 (got " + subscriberQueue + ")");
        }
        if (replayLimit < 1) {
            throw new IllegalArgumentException(
                    "RELAY_MESSAGING_REPLAY_LIMIT must be at least 1 (got " + replayLimit + ")");
        }
    }

    private static void require(Duration value, String variable) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(
                    variable + " must be a positive duration such as PT15S (got " + value + ")");
        }
    }
}

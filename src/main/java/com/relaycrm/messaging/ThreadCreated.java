package com.relaycrm.messaging;

/**
 * A thread was opened; published in the creating transaction.
 *
 * @param thread {@code thread_id}, {@code users}, {@code created_by} and {@code created_at}
 */
public record ThreadCreated(String threadId, Object thread) {}

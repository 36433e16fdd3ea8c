package com.relaycrm.messaging;

import java.time.OffsetDateTime;

/**
 * Published in the posting transaction, after the message has its place ({@code seq}) in the thread.
 *
 * @param message the message as its thread's event stream shows it ({@code thread_id}, {@code id}, {@code seq},
 *     {@code username}, {@code message}, {@code created_at})
 */
public record MessagePosted(
        String threadId, String messageId, long seq, String username, OffsetDateTime createdAt, Object message) {}

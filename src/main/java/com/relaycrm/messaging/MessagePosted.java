package com.relaycrm.messaging;

import java.time.OffsetDateTime;

/** Published in the posting transaction, after the message has its place ({@code seq}) in the thread. */
public record MessagePosted(String threadId, String messageId, long seq, String username, OffsetDateTime createdAt) {}

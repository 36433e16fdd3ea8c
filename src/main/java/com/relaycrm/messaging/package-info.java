/**
 * Conversations between usernames: threads, per-thread ordered messages, inboxes with read horizons, edits with
 * tombstones, and Server-Sent Events delivered across instances through PostgreSQL LISTEN/NOTIFY (seed 003).
 */
@org.springframework.modulith.ApplicationModule(displayName = "Messaging", allowedDependencies = "platform")
@org.jspecify.annotations.NullMarked
package com.relaycrm.messaging;

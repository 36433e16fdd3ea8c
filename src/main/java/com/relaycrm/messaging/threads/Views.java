package com.relaycrm.messaging.threads;

import java.time.OffsetDateTime;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** JSON shapes of the messaging API (snake_case by the platform's naming strategy; nulls omitted). */
final class Views {

    private Views() {}

    /** The seed's message shape plus the server-assigned fields; a tombstone has no text and {@code deleted: true}. */
    record MessageView(
            String username,
            @Nullable String message,
            String id,
            long seq,
            OffsetDateTime createdAt,
            @Nullable OffsetDateTime editedAt,
            @Nullable Boolean deleted) {}

    record MessagePage(
            List<MessageView> messages,
            @Nullable String nextCursor,
            @Nullable String prevCursor) {}

    record ThreadCreated(String threadId) {}

    record Participant(String username, long readSeq) {}

    record Participants(String threadId, List<Participant> participants) {}

    record ThreadSummary(
            String threadId,
            List<String> users,
            @Nullable MessageView lastMessage,
            long unreadCount,
            long lastSeq,
            long readSeq,
            OffsetDateTime lastActivityAt) {}

    record Inbox(List<ThreadSummary> threads, @Nullable String nextCursor) {}

    record ReadState(String threadId, String username, long readSeq, long unreadCount) {}

    /** The {@code data:} of an SSE event: the message as it is now, with its thread. */
    record EventData(
            String threadId,
            String id,
            long seq,
            String username,
            @Nullable String message,
            OffsetDateTime createdAt,
            @Nullable OffsetDateTime editedAt,
            @Nullable Boolean deleted) {

        static EventData of(String threadId, MessageView view) {
            return new EventData(
                    threadId,
                    view.id(),
                    view.seq(),
                    view.username(),
                    view.message(),
                    view.createdAt(),
                    view.editedAt(),
                    view.deleted());
        }
    }
}

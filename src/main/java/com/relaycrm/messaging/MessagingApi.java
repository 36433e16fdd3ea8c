package com.relaycrm.messaging;

import com.relaycrm.platform.Actor;
import com.relaycrm.platform.SearchTerms;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * What other modules may ask of messaging: open a thread and post into it on behalf of a username, and read and
 * change a user's conversations as the API would let that user (the web console's inbox).
 */
public interface MessagingApi {

    /** Opens a new thread for 2-100 distinct usernames and returns its opaque id. */
    String openThread(List<String> usernames, String openedBy);

    /** Posts {@code text} as {@code username}, who must take part in the thread; returns the message's seq. */
    long post(String threadId, String username, String text);

    /**
     * A page of {@code username}'s threads, most recent activity first, with the last message and the unread count:
     * the newest {@code limit} ({@code after} null) or the next {@code limit} after the cursor a previous page gave
     * as {@link InboxPage#nextCursor()} (400 for anything else), as {@code GET /users/{username}/threads?after=}.
     */
    InboxPage inbox(String username, @Nullable String after, int limit);

    /**
     * The newest {@code limit} messages before {@code beforeSeq} (null: the newest) of a thread {@code username}
     * takes part in (404 for an unknown thread, 403 for a non-participant).
     */
    Conversation conversation(String threadId, String username, @Nullable Long beforeSeq, int limit);

    /** Moves {@code username}'s read horizon forward to {@code upToSeq}; returns the unread count after it. */
    long markRead(String threadId, String username, long upToSeq);

    /** Edits a message of {@code username}'s own (403 for someone else's, 409 for a deleted one). */
    Message edit(String threadId, String messageId, String username, String text);

    /** Deletes a message of {@code username}'s own, leaving a tombstone; deleting twice changes nothing. */
    void delete(String threadId, String messageId, String username);

    /**
     * The thread's live event stream for {@code actor}: message.created / message.edited / message.deleted with
     * id = seq, starting after {@code lastEventId} when set. Participants only, whatever the actor's roles, as
     * {@link #conversation}: a caller may stream exactly the threads whose page it may read (the API's
     * {@code GET /thread/{id}/events} also lets ADMIN and MESSAGING_SERVICE tokens act for anyone). At most
     * {@code RELAY_MESSAGING_MAX_STREAMS_PER_CALLER} streams per token or console session (429 beyond).
     */
    SseEmitter events(String threadId, Actor actor, @Nullable Long lastEventId);

    /**
     * As {@link #events(String, Actor, Long)}, for a stream that also rests on {@code guard}'s {@code key} (the
     * console's session): the stream ends once the key is no longer valid, as it does once the actor's token is
     * revoked.
     */
    SseEmitter events(String threadId, Actor actor, @Nullable Long lastEventId, StreamGuard guard, String key);

    /**
     * A second authority behind open event streams besides their token. Asked for every open stream it guards in one
     * call per check (twice per heartbeat interval), so a thousand streams cost one query, not a thousand.
     */
    @FunctionalInterface
    interface StreamGuard {

        /** Of {@code keys}, the ones still valid; streams under the others end. */
        Set<String> stillValid(Set<String> keys);
    }

    /**
     * Live messages having every word of {@code q} as a word or word prefix (accents and case ignored), best
     * {@code limit} first, from threads {@code username} takes part in, or from every thread when
     * {@code everyThread} (a messaging service acting for anyone).
     */
    List<MessageHit> search(SearchTerms q, String username, boolean everyThread, int limit);

    /**
     * A message found by {@link #search}; score in [0.5, 1]; {@code url} reads the thread from this message on
     * ({@code GET /thread/{id}?after=...}).
     */
    record MessageHit(
            String url,
            String threadId,
            String messageId,
            long seq,
            String username,
            String text,
            OffsetDateTime createdAt,
            double score) {}

    record Message(
            String id,
            long seq,
            String username,
            @Nullable String text,
            OffsetDateTime createdAt,
            @Nullable OffsetDateTime editedAt,
            boolean deleted) {}

    record ThreadSummary(
            String threadId,
            List<String> users,
            @Nullable Message lastMessage,
            long unreadCount,
            long lastSeq,
            OffsetDateTime lastActivityAt) {}

    /** One page of an inbox; {@code nextCursor} is null on the last page. */
    record InboxPage(List<ThreadSummary> threads, @Nullable String nextCursor) {}

    /** A page of a thread in seq order; {@code earlier} tells whether older messages exist. */
    record Conversation(String threadId, List<String> users, List<Message> messages, boolean earlier, long lastSeq) {}
}

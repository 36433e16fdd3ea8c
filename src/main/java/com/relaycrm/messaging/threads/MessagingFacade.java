package com.relaycrm.messaging.threads;

import com.relaycrm.messaging.MessagingApi;
import com.relaycrm.platform.Actor;
import com.relaycrm.platform.ApiProblem;
import com.relaycrm.platform.SearchTerms;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/** {@link MessagingApi} over the same services and rules as the HTTP API. */
@Service
class MessagingFacade implements MessagingApi {

    private final Threads threads;
    private final ThreadEventHub hub;
    private final MessageSearch search;

    MessagingFacade(Threads threads, ThreadEventHub hub, MessageSearch search) {
        this.threads = threads;
        this.hub = hub;
        this.search = search;
    }

    @Override
    public List<MessageHit> search(SearchTerms q, String username, boolean everyThread, int limit) {
        return search.search(q, username, everyThread, limit);
    }

    @Override
    public String openThread(List<String> usernames, String openedBy) {
        return threads.openThread(usernames, openedBy);
    }

    @Override
    public long post(String threadId, String username, String text) {
        return threads.post(threadId, username, text);
    }

    @Override
    public InboxPage inbox(String username, @Nullable String after, int limit) {
        Views.Inbox page = threads.inbox(username, after == null ? null : Cursor.activity("after", after), limit);
        return new InboxPage(
                page.threads().stream()
                        .map(t -> new ThreadSummary(
                                t.threadId(),
                                t.users(),
                                t.lastMessage() == null ? null : message(t.lastMessage()),
                                t.unreadCount(),
                                t.lastSeq(),
                                t.lastActivityAt()))
                        .toList(),
                page.nextCursor());
    }

    @Override
    public Conversation conversation(String threadId, String username, @Nullable Long beforeSeq, int limit) {
        UUID thread = Threads.id(threadId, "Thread");
        Threads.Access access = threads.access(thread, username)
                .orElseThrow(() -> ApiProblem.notFound("Thread " + thread + " does not exist"));
        if (!access.participant()) {
            throw ApiProblem.forbidden("Only the thread's participants may read it");
        }
        Views.MessagePage page =
                threads.page(thread, null, beforeSeq == null ? Long.valueOf(Long.MAX_VALUE) : beforeSeq, limit);
        List<String> users = threads.participants(thread).participants().stream()
                .map(Views.Participant::username)
                .toList();
        return new Conversation(
                thread.toString(),
                users,
                page.messages().stream().map(MessagingFacade::message).toList(),
                page.prevCursor() != null,
                access.lastSeq());
    }

    @Override
    public long markRead(String threadId, String username, long upToSeq) {
        UUID thread = Threads.id(threadId, "Thread");
        threads.requireParticipant(thread, username);
        return threads.markRead(thread, username, upToSeq).unreadCount();
    }

    @Override
    public Message edit(String threadId, String messageId, String username, String text) {
        MessageText.problem("message", text).ifPresent(error -> {
            throw ApiProblem.invalid(List.of(error));
        });
        // Only deleting twice answers null; an edit always returns the changed message.
        return message(Objects.requireNonNull(threads.change(
                Threads.id(threadId, "Thread"), Threads.id(messageId, "Message"), username::equals, text)));
    }

    @Override
    public void delete(String threadId, String messageId, String username) {
        threads.change(Threads.id(threadId, "Thread"), Threads.id(messageId, "Message"), username::equals, null);
    }

    @Override
    public SseEmitter events(String threadId, Actor actor, @Nullable Long lastEventId) {
        return hub.subscribe(Threads.id(threadId, "Thread"), actor, lastEventId, null, null, true);
    }

    @Override
    public SseEmitter events(String threadId, Actor actor, @Nullable Long lastEventId, StreamGuard guard, String key) {
        return hub.subscribe(Threads.id(threadId, "Thread"), actor, lastEventId, guard, key, true);
    }

    private static Message message(Views.MessageView view) {
        return new Message(
                view.id(),
                view.seq(),
                view.username(),
                view.message(),
                view.createdAt(),
                view.editedAt(),
                Boolean.TRUE.equals(view.deleted()));
    }
}

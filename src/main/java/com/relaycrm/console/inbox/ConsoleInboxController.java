package com.relaycrm.console.inbox;

import com.relaycrm.console.web.LiveSessions;
import com.relaycrm.messaging.MessagingApi;
import com.relaycrm.messaging.MessagingApi.Conversation;
import com.relaycrm.messaging.MessagingApi.InboxPage;
import com.relaycrm.messaging.MessagingApi.ThreadSummary;
import com.relaycrm.platform.Actor;
import com.relaycrm.platform.ApiProblem;
import com.relaycrm.platform.Role;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.util.List;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseBody;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * The signed-in user's inbox and threads. The browser's EventSource reaches the messaging stream through
 * {@code /console/inbox/{id}/events}, authorized by the console session, so the token never reaches JavaScript.
 * Forms work without JavaScript (redirects); inbox.js sends them with fetch and gets 204 or a message fragment.
 */
@Controller
class ConsoleInboxController {

    /** Threads per inbox page. */
    static final int THREADS = 100;

    static final int PAGE = 100;
    private static final Pattern SEQ = Pattern.compile("[0-9]{1,18}");

    private final MessagingApi messaging;
    private final LiveSessions sessions;

    ConsoleInboxController(MessagingApi messaging, LiveSessions sessions) {
        this.messaging = messaging;
        this.sessions = sessions;
    }

    /**
     * A page of threads. "Older threads" is a plain link to the next page (so it works without JavaScript); htmx
     * asks for the {@code more} fragment instead, which appends the rows to the list and replaces the link.
     */
    @GetMapping("/console/inbox")
    String inbox(@RequestParam(required = false) @Nullable String after, HttpServletRequest request, Model model) {
        String me = Actor.current().username();
        InboxPage page = messaging.inbox(me, after == null || after.isBlank() ? null : after.strip(), THREADS);
        model.addAttribute(
                "threads",
                page.threads().stream()
                        .map(t -> new Row(t, String.join(", ", others(t.users(), me))))
                        .toList());
        model.addAttribute("nextCursor", page.nextCursor());
        model.addAttribute("older", after != null && !after.isBlank());
        return request.getHeader("HX-Request") != null ? "console/inbox :: more" : "console/inbox";
    }

    @GetMapping("/console/inbox/{threadId}")
    String thread(@PathVariable String threadId, @RequestParam(required = false) @Nullable String before, Model model) {
        Actor me = Actor.current();
        Long beforeSeq = before == null ? null : seq("before", before);
        Conversation conversation = messaging.conversation(threadId, me.username(), beforeSeq, PAGE);
        if (beforeSeq == null && conversation.lastSeq() > 0) {
            messaging.markRead(threadId, me.username(), conversation.lastSeq());
        }
        model.addAttribute("conversation", conversation);
        model.addAttribute("others", others(conversation.users(), me.username()));
        model.addAttribute("canWrite", me.hasAny(Role.ADMIN, Role.MESSAGING_SERVICE, Role.SALES, Role.AGENT));
        model.addAttribute("live", beforeSeq == null);
        return "console/thread";
    }

    @GetMapping(path = "/console/inbox/{threadId}/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    @ResponseBody
    SseEmitter events(
            @PathVariable String threadId,
            @RequestHeader(name = "Last-Event-ID", required = false) @Nullable String lastEventHeader,
            @RequestParam(name = "last_event_id", required = false) @Nullable String lastEventParameter,
            HttpServletRequest request) {
        String lastEvent = lastEventHeader != null && !lastEventHeader.isBlank() ? lastEventHeader : lastEventParameter;
        Long lastEventId = lastEvent == null || lastEvent.isBlank() ? null : seq("last_event_id", lastEvent);
        Actor me = Actor.current();
        String session = LiveSessions.key(request);
        if (session == null) {
            // Signed in means a session; without one the actor did not come from the console.
            throw ApiProblem.unauthorized("Sign in to the console first");
        }
        // The stream rests on the session as well as the token: signing out ends it, not just the next request.
        return messaging.events(threadId, me, lastEventId, sessions, session);
    }

    @PostMapping("/console/inbox/{threadId}/messages")
    ResponseEntity<Void> send(
            @PathVariable String threadId,
            @RequestParam(required = false) @Nullable String text,
            HttpServletRequest request) {
        messaging.post(threadId, Actor.current().username(), text == null ? "" : text);
        return done(request, threadId);
    }

    @PostMapping("/console/inbox/{threadId}/messages/{messageId}/edit")
    ResponseEntity<Void> edit(
            @PathVariable String threadId,
            @PathVariable String messageId,
            @RequestParam(required = false) @Nullable String text,
            HttpServletRequest request) {
        messaging.edit(threadId, messageId, Actor.current().username(), text == null ? "" : text);
        return done(request, threadId);
    }

    @PostMapping("/console/inbox/{threadId}/messages/{messageId}/delete")
    ResponseEntity<Void> delete(
            @PathVariable String threadId, @PathVariable String messageId, HttpServletRequest request) {
        messaging.delete(threadId, messageId, Actor.current().username());
        return done(request, threadId);
    }

    @PostMapping("/console/inbox/{threadId}/read")
    ResponseEntity<Void> read(@PathVariable String threadId, @RequestParam(name = "up_to_seq") String upToSeq) {
        messaging.markRead(threadId, Actor.current().username(), seq("up_to_seq", upToSeq));
        return ResponseEntity.noContent().build();
    }

    /** Script requests (HX-Request) get 204, the live stream shows the change; plain forms go back to the thread. */
    private static ResponseEntity<Void> done(HttpServletRequest request, String threadId) {
        if (request.getHeader("HX-Request") != null) {
            return ResponseEntity.noContent().build();
        }
        return ResponseEntity.status(HttpStatus.SEE_OTHER)
                .location(URI.create("/console/inbox/" + threadId))
                .build();
    }

    record Row(ThreadSummary thread, String others) {}

    /** The other participants; a thread with only oneself (an admin's own notes) shows oneself. */
    private static List<String> others(List<String> users, String me) {
        List<String> others = users.stream().filter(u -> !u.equals(me)).toList();
        return others.isEmpty() ? users : others;
    }

    private static long seq(String name, String value) {
        if (!SEQ.matcher(value.strip()).matches()) {
            throw ApiProblem.badParameter(name, "must be a message position (a non-negative integer)");
        }
        return Long.parseLong(value.strip());
    }
}

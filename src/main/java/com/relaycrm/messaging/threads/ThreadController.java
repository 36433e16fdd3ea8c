package com.relaycrm.messaging.threads;

import com.relaycrm.platform.Actor;
import com.relaycrm.platform.ApiProblem;
import com.relaycrm.platform.Exports;
import com.relaycrm.platform.FieldError;
import com.relaycrm.platform.JsonInput;
import com.relaycrm.platform.SearchTerms;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import tools.jackson.databind.JsonNode;

/** The seed's three endpoints (same paths and JSON) and what grew around them. */
@RestController
@Tag(name = "Messaging", description = "Threads, ordered messages, read horizons and realtime events")
class ThreadController {

    private static final Pattern IDEMPOTENCY_KEY = Pattern.compile("[\\x21-\\x7E]{1,255}");
    private static final Pattern EVENT_ID = Pattern.compile("[0-9]{1,18}");

    record CreateThreadRequest(List<String> users) {}

    record PostMessageRequest(String message) {}

    record ReadRequest(long upToSeq) {}

    private static final List<String> EXPORT_COLUMNS =
            List.of("id", "seq", "username", "message", "created_at", "edited_at", "deleted");

    private final Threads threads;
    private final ThreadEventHub hub;
    private final Exports exports;

    ThreadController(Threads threads, ThreadEventHub hub, Exports exports) {
        this.exports = exports;
        this.threads = threads;
        this.hub = hub;
    }

    @PostMapping("/thread")
    @Operation(summary = "Open a thread for 2-100 distinct usernames (the caller among them, unless a service token)")
    ResponseEntity<Views.ThreadCreated> create(
            @io.swagger.v3.oas.annotations.parameters.RequestBody(
                            content = @Content(schema = @Schema(implementation = CreateThreadRequest.class)))
                    @RequestBody
                    JsonNode body) {
        JsonInput input = JsonInput.of(body);
        List<String> users = input.strings("users", 2, 100, MessageText.MAX_USERNAME, true);
        if (users != null) {
            for (int i = 0; i < users.size(); i++) {
                MessageText.usernameProblem("users[" + i + "]", users.get(i))
                        .ifPresent(e -> input.reject(e.field(), e.message()));
            }
        }
        input.validate();
        Objects.requireNonNull(users, "validated above");
        Threads.rejectDuplicates(users);
        Actor actor = Actor.current();
        if (!Acting.onBehalfOfAnyone(actor) && !users.contains(actor.username())) {
            throw ApiProblem.forbidden(
                    "Your token acts as '" + actor.username() + "', who must be one of the thread's users");
        }
        UUID id = threads.create(users, actor.username());
        return ResponseEntity.created(URI.create("/thread/" + id)).body(new Views.ThreadCreated(id.toString()));
    }

    @PostMapping("/thread/{threadId}/{username}")
    @Operation(summary = "Post a message as a participant; 204. An Idempotency-Key makes retries safe for 24 h")
    ResponseEntity<Void> post(
            @PathVariable String threadId,
            @PathVariable String username,
            @RequestHeader(name = "Idempotency-Key", required = false) @Nullable String idempotencyKey,
            @io.swagger.v3.oas.annotations.parameters.RequestBody(
                            content = @Content(schema = @Schema(implementation = PostMessageRequest.class)))
                    @RequestBody
                    JsonNode body) {
        UUID thread = Threads.id(threadId, "Thread");
        Acting.requireActingAs(Actor.current(), username);
        String text = messageText(body);
        if (idempotencyKey != null && !IDEMPOTENCY_KEY.matcher(idempotencyKey).matches()) {
            throw ApiProblem.badRequest(
                    "Idempotency-Key must be 1-255 printable ASCII characters without spaces",
                    new FieldError("Idempotency-Key", "must be 1-255 printable ASCII characters without spaces"));
        }
        Threads.Posted posted = threads.post(thread, username, text, idempotencyKey);
        var response = ResponseEntity.noContent();
        if (posted.replayed()) {
            response.header("Idempotent-Replayed", "true");
        }
        return response.build();
    }

    /** Reads {@code message}; other keys (the seed's clients send {@code username}, {@code thread_id}) are ignored. */
    private static String messageText(JsonNode body) {
        JsonInput input = JsonInput.of(body);
        JsonNode raw = input.raw("message");
        String text = null;
        if (raw != null && !raw.isString()) {
            input.reject("message", "must be a string");
        } else {
            text = raw == null ? null : raw.stringValue();
            MessageText.problem("message", text).ifPresent(e -> input.reject(e.field(), e.message()));
        }
        input.validate();
        // MessageText.problem rejects a missing message, so validate() has thrown unless text is set.
        return Objects.requireNonNull(text, "validated above");
    }

    @GetMapping({"/thread/{threadId}", "/thread/{threadId}/messages"})
    @Operation(
            summary = "Messages in seq order: the first 1,000 by default; page with after/before cursors and limit; "
                    + "q keeps the live messages containing the text or its words as word prefixes (accents ignored)."
                    + Exports.NOTE,
            responses =
                    @io.swagger.v3.oas.annotations.responses.ApiResponse(
                            responseCode = "200",
                            content = {
                                @Content(
                                        mediaType = "application/json",
                                        schema = @Schema(implementation = Views.MessagePage.class)),
                                @Content(mediaType = "text/csv"),
                                @Content(mediaType = "application/x-ndjson")
                            }))
    Object messages(
            @PathVariable String threadId,
            @RequestParam(required = false) @Nullable String q,
            @RequestParam Map<String, String> params,
            HttpServletRequest request,
            @RequestParam(required = false) @Nullable String after,
            @RequestParam(required = false) @Nullable String before,
            @RequestParam(required = false) @Nullable String limit) {
        UUID thread = readable(threadId);
        if (after != null && before != null) {
            throw ApiProblem.badParameter("before", "cannot be combined with 'after'");
        }
        int size = Cursor.limit(limit, 1000, 1000);
        Long afterSeq = after == null ? null : Cursor.seq("after", after);
        Long beforeSeq = before == null ? null : Cursor.seq("before", before);
        if (q != null && q.length() > SearchTerms.MAX_LENGTH) {
            throw ApiProblem.badParameter("q", "must be at most " + SearchTerms.MAX_LENGTH + " characters");
        }
        SearchTerms terms = SearchTerms.optional(q);
        Exports.Format export = exports.requested(params, request);
        if (export != null) {
            return exports.<Views.MessageView>stream(
                    export,
                    "thread-" + thread,
                    EXPORT_COLUMNS,
                    params,
                    request,
                    each -> threads.forEach(thread, terms, each));
        }
        return ResponseEntity.ok(threads.page(thread, afterSeq, beforeSeq, size, terms));
    }

    @GetMapping("/thread/{threadId}/participants")
    @Operation(summary = "The thread's users in the order given at creation, with their read horizons")
    Views.Participants participants(@PathVariable String threadId) {
        return threads.participants(readable(threadId));
    }

    @PostMapping("/thread/{threadId}/{username}/read")
    @Operation(summary = "Move the read horizon forward to up_to_seq (a lower value changes nothing)")
    Views.ReadState markRead(
            @PathVariable String threadId,
            @PathVariable String username,
            @io.swagger.v3.oas.annotations.parameters.RequestBody(
                            content = @Content(schema = @Schema(implementation = ReadRequest.class)))
                    @RequestBody
                    JsonNode body) {
        UUID thread = Threads.id(threadId, "Thread");
        Acting.requireActingAs(Actor.current(), username);
        threads.requireParticipant(thread, username);
        JsonInput input = JsonInput.of(body);
        Long upTo = input.longValue("up_to_seq", 0, Long.MAX_VALUE, true);
        input.validate();
        return threads.markRead(thread, username, Objects.requireNonNull(upTo, "validated above"));
    }

    @PatchMapping("/thread/{threadId}/messages/{messageId}")
    @Operation(summary = "Edit a message's text (its author only)")
    Views.MessageView edit(
            @PathVariable String threadId,
            @PathVariable String messageId,
            @io.swagger.v3.oas.annotations.parameters.RequestBody(
                            content = @Content(schema = @Schema(implementation = PostMessageRequest.class)))
                    @RequestBody
                    JsonNode body) {
        UUID thread = Threads.id(threadId, "Thread");
        UUID message = Threads.id(messageId, "Message");
        String text = messageText(body);
        Actor actor = Actor.current();
        // change() answers null only for a repeated delete; an edit always has the message to show.
        return Objects.requireNonNull(threads.change(thread, message, author -> Acting.mayActAs(actor, author), text));
    }

    @DeleteMapping("/thread/{threadId}/messages/{messageId}")
    @Operation(summary = "Delete a message (its author only), leaving a tombstone that keeps its seq")
    ResponseEntity<Void> delete(@PathVariable String threadId, @PathVariable String messageId) {
        UUID thread = Threads.id(threadId, "Thread");
        UUID message = Threads.id(messageId, "Message");
        Actor actor = Actor.current();
        threads.change(thread, message, author -> Acting.mayActAs(actor, author), null);
        return ResponseEntity.noContent().build();
    }

    @GetMapping("/thread/{threadId}/events")
    @Operation(
            summary = "Server-Sent Events: message.created, message.edited, message.deleted with id = seq; "
                    + "send Last-Event-ID (or ?last_event_id=) to receive what was missed first")
    SseEmitter events(
            @PathVariable String threadId,
            @RequestHeader(name = "Last-Event-ID", required = false) @Nullable String lastEventHeader,
            @RequestParam(name = "last_event_id", required = false) @Nullable String lastEventParameter) {
        UUID thread = Threads.id(threadId, "Thread");
        String lastEvent = lastEventHeader != null ? lastEventHeader : lastEventParameter;
        Long lastEventId = null;
        if (lastEvent != null && !lastEvent.isBlank()) {
            if (!EVENT_ID.matcher(lastEvent.strip()).matches()) {
                throw ApiProblem.badParameter("Last-Event-ID", "must be an event id (a non-negative integer)");
            }
            lastEventId = Long.parseLong(lastEvent.strip());
        }
        return hub.subscribe(thread, Actor.current(), lastEventId, null, null, false);
    }

    /** Participants may read a thread, service tokens any thread; unknown threads are 404. */
    private UUID readable(String threadId) {
        UUID thread = Threads.id(threadId, "Thread");
        Actor actor = Actor.current();
        boolean member = threads.membership(thread, actor.username())
                .orElseThrow(() -> ApiProblem.notFound("Thread " + thread + " does not exist"));
        if (!member && !Acting.onBehalfOfAnyone(actor)) {
            throw ApiProblem.forbidden("Only the thread's participants may read it");
        }
        return thread;
    }
}

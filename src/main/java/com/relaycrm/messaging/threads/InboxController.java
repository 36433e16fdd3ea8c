package com.relaycrm.messaging.threads;

import com.relaycrm.platform.Actor;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Messaging")
class InboxController {

    private final Threads threads;

    InboxController(Threads threads) {
        this.threads = threads;
    }

    @GetMapping("/users/{username}/threads")
    @Operation(summary = "A user's threads, most recent activity first, with last message and unread count")
    Views.Inbox inbox(
            @PathVariable String username,
            @RequestParam(required = false) @Nullable String after,
            @RequestParam(required = false) @Nullable String limit) {
        Acting.requireActingAs(Actor.current(), username);
        int size = Cursor.limit(limit, 50, 1000);
        return threads.inbox(username, after == null ? null : Cursor.activity("after", after), size);
    }
}

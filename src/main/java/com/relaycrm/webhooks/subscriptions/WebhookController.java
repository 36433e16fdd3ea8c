package com.relaycrm.webhooks.subscriptions;

import com.relaycrm.platform.Actor;
import com.relaycrm.platform.ApiProblem;
import com.relaycrm.platform.JsonInput;
import com.relaycrm.platform.RequestAdmission;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.time.OffsetDateTime;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

@RestController
@RequestMapping("/api/v1/webhooks")
@Tag(name = "Webhooks", description = "Signed, retried event deliveries to other systems (admins only)")
class WebhookController {

    private static final List<String> FIELDS = List.of("url", "events", "description", "enabled");
    private static final List<String> READ_ONLY = List.of(
            "id",
            "secret",
            "secret_last4",
            "previous_secret_expires_at",
            "disabled_reason",
            "failing_since",
            "created_by",
            "created_at",
            "updated_at");

    private final Subscriptions subscriptions;
    private final Deliveries deliveries;
    private final UrlPolicy policy;
    private final WebhookJobs.Pumps pumps;
    private final RequestAdmission admission;

    WebhookController(
            Subscriptions subscriptions,
            Deliveries deliveries,
            UrlPolicy policy,
            WebhookJobs.Pumps pumps,
            RequestAdmission admission) {
        this.subscriptions = subscriptions;
        this.deliveries = deliveries;
        this.policy = policy;
        this.pumps = pumps;
        this.admission = admission;
    }

    record SubscriptionRequest(
            String url,
            List<String> events,
            @Nullable String description,
            @Nullable Boolean enabled) {}

    record EventType(String name, String description) {}

    record Catalogue(List<EventType> events) {}

    @GetMapping("/events")
    @Operation(summary = "The events a subscription may name ('*' for all)")
    Catalogue webhookEvents() {
        return new Catalogue(EventCatalogue.EVENTS.entrySet().stream()
                .map(e -> new EventType(e.getKey(), e.getValue()))
                .toList());
    }

    @PostMapping
    @Operation(
            summary = "Subscribe a URL to events; the answer shows the signing secret, once",
            requestBody =
                    @io.swagger.v3.oas.annotations.parameters.RequestBody(
                            content = @Content(schema = @Schema(implementation = SubscriptionRequest.class))))
    ResponseEntity<Subscriptions.View> createWebhook(@RequestBody JsonNode body) {
        Input input = read(body, true);
        String url = Objects.requireNonNull(input.url(), "validated above");
        Subscriptions.Row row = subscriptions.create(
                url,
                Objects.requireNonNull(input.events(), "validated above"),
                input.description(),
                input.enabled() == null || input.enabled(),
                Actor.current().username());
        if (row.enabled()) {
            pumps.ensure(row.id());
        }
        return ResponseEntity.created(URI.create("/api/v1/webhooks/" + row.id()))
                .body(Subscriptions.View.of(row, true, subscriptions.now()));
    }

    @GetMapping
    @Operation(summary = "All subscriptions (secrets shown as their last 4 characters)")
    Map<String, List<Subscriptions.View>> listWebhooks() {
        OffsetDateTime now = subscriptions.now();
        return Map.of(
                "items",
                subscriptions.list().stream()
                        .map(row -> Subscriptions.View.of(row, false, now))
                        .toList());
    }

    @GetMapping("/{id}")
    @Operation(summary = "One subscription (its secret shown as its last 4 characters)")
    Subscriptions.View getWebhook(@PathVariable long id) {
        return Subscriptions.View.of(subscriptions.get(id), false, subscriptions.now());
    }

    @PatchMapping("/{id}")
    @Operation(
            summary = "Change url, events, description or enabled; enabling clears the disabled reason",
            requestBody =
                    @io.swagger.v3.oas.annotations.parameters.RequestBody(
                            content = @Content(schema = @Schema(implementation = SubscriptionRequest.class))))
    Subscriptions.View patchWebhook(@PathVariable long id, @RequestBody JsonNode body) {
        subscriptions.get(id);
        Input input = read(body, false);
        Subscriptions.Row row = subscriptions.update(
                id,
                new Subscriptions.Changes(
                        input.url(), input.events(), input.descriptionSent(), input.description(), input.enabled()));
        if (row.enabled()) {
            pumps.ensure(row.id());
        }
        return Subscriptions.View.of(row, false, subscriptions.now());
    }

    @DeleteMapping("/{id}")
    @Operation(summary = "Delete a subscription and its delivery log")
    ResponseEntity<Void> deleteWebhook(@PathVariable long id) {
        subscriptions.delete(id);
        return ResponseEntity.noContent().build();
    }

    @PostMapping("/{id}/rotate-secret")
    @Operation(summary = "Issue a new secret (shown once); the old one also signs deliveries for 24 hours")
    Subscriptions.View rotateWebhookSecret(@PathVariable long id) {
        return Subscriptions.View.of(subscriptions.rotate(id), true, subscriptions.now());
    }

    @GetMapping("/{id}/deliveries")
    @Operation(summary = "The delivery log, newest first; pass next_cursor as 'after' for the next page")
    Deliveries.LogPage webhookDeliveries(
            @PathVariable long id,
            @RequestParam(required = false) @Nullable String after,
            @RequestParam(required = false) @Nullable String limit) {
        subscriptions.get(id);
        return deliveries.log(id, cursor(after), limit(limit));
    }

    @PostMapping("/{id}/deliveries/{deliveryId}/redeliver")
    @Operation(summary = "Send a delivery's message again (same webhook-id and body); 202 with the new delivery")
    ResponseEntity<Deliveries.LogEntry> redeliverWebhook(@PathVariable long id, @PathVariable long deliveryId) {
        requireEnabled(subscriptions.get(id));
        return ResponseEntity.status(HttpStatus.ACCEPTED)
                .body(deliveries.redeliver(id, deliveryId, subscriptions.now()));
    }

    @PostMapping("/{id}/test")
    @Operation(summary = "Queue a 'ping' event for this subscription; 202 with its delivery")
    ResponseEntity<Deliveries.LogEntry> testWebhook(@PathVariable long id) {
        requireEnabled(subscriptions.get(id));
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(deliveries.ping(id, subscriptions.now()));
    }

    private static void requireEnabled(Subscriptions.Row row) {
        if (!row.enabled()) {
            throw ApiProblem.conflict("Webhook subscription " + row.id() + " is disabled; enable it first")
                    .with("disabled_reason", row.disabledReason());
        }
    }

    private record Input(
            @Nullable String url,
            @Nullable List<String> events,
            boolean descriptionSent,
            @Nullable String description,
            @Nullable Boolean enabled) {}

    private Input read(JsonNode body, boolean create) {
        JsonInput input = JsonInput.of(body).onlyFields(FIELDS, READ_ONLY);
        String url = input.string("url", 1, 2048, create);
        if (url != null) {
            String problem = UrlPolicy.formProblem(url);
            if (problem != null) {
                input.reject("url", problem);
                url = null;
            }
        }
        List<String> events = input.strings("events", 1, 50, 100, create);
        if (events != null) {
            List<String> unknown = EventCatalogue.unknown(events);
            if (!unknown.isEmpty()) {
                input.reject(
                        "events",
                        "unknown event(s): " + String.join(", ", unknown) + "; see GET /api/v1/webhooks/events");
                events = null;
            } else {
                events = List.copyOf(new LinkedHashSet<>(events));
            }
        }
        String description = input.string("description", 0, 500, false);
        Boolean enabled = input.bool("enabled", false);
        for (String field : List.of("url", "events", "enabled")) {
            if (input.has(field) && input.raw(field) == null) {
                input.reject(field, "must not be null");
            }
        }
        input.validate();
        if (url != null) {
            String target = url;
            String refused = admission.outside(() -> policy.addressProblem(target));
            if (refused != null) {
                throw ApiProblem.invalid("url", refused);
            }
        }
        return new Input(url, events, input.has("description"), description, enabled);
    }

    private static @Nullable Long cursor(@Nullable String after) {
        if (after == null || after.isEmpty()) {
            return null;
        }
        try {
            long value = Long.parseLong(after);
            if (value > 0) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw ApiProblem.badParameter("after", "must be a next_cursor of an earlier page");
    }

    private static int limit(@Nullable String limit) {
        if (limit == null) {
            return 50;
        }
        try {
            int value = Integer.parseInt(limit);
            if (value >= 1 && value <= 100) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw ApiProblem.badParameter("limit", "must be an integer from 1 to 100");
    }
}

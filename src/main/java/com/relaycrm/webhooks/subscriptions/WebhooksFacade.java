package com.relaycrm.webhooks.subscriptions;

import com.relaycrm.webhooks.WebhooksApi;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** The console's way in: it goes through the API controller, so the rules and answers are the API's. */
@Service
class WebhooksFacade implements WebhooksApi {

    private final WebhookController controller;
    private final JsonMapper json;

    WebhooksFacade(WebhookController controller, JsonMapper json) {
        this.controller = controller;
        this.json = json;
    }

    @Override
    public List<String> eventNames() {
        return List.copyOf(EventCatalogue.EVENTS.keySet());
    }

    @Override
    public List<Subscription> subscriptions() {
        return Objects.requireNonNull(controller.listWebhooks().get("items")).stream()
                .map(WebhooksFacade::of)
                .toList();
    }

    @Override
    public Subscription subscription(long id) {
        return of(controller.getWebhook(id));
    }

    @Override
    public Created create(String url, List<String> events, @Nullable String description) {
        ObjectNode body = json.createObjectNode();
        body.put("url", url);
        events.forEach(body.putArray("events")::add);
        if (description != null && !description.isBlank()) {
            body.put("description", description);
        }
        Subscriptions.View view =
                Objects.requireNonNull(controller.createWebhook(body).getBody(), "created");
        return new Created(of(view), Objects.requireNonNull(view.secret(), "a new subscription shows its secret"));
    }

    @Override
    public DeliveryPage deliveries(long subscriptionId, @Nullable String after, int limit) {
        Deliveries.LogPage page = controller.webhookDeliveries(subscriptionId, after, Integer.toString(limit));
        return new DeliveryPage(
                page.items().stream()
                        .map(e -> new Delivery(
                                e.id(),
                                e.messageId(),
                                e.eventType(),
                                e.status(),
                                e.attempts(),
                                e.lastResponseStatus(),
                                e.lastResponseBody(),
                                e.lastError(),
                                e.latencyMs(),
                                e.nextAttemptAt(),
                                e.createdAt()))
                        .toList(),
                page.nextCursor());
    }

    @Override
    public void redeliver(long subscriptionId, long deliveryId) {
        controller.redeliverWebhook(subscriptionId, deliveryId);
    }

    @Override
    public void test(long subscriptionId) {
        controller.testWebhook(subscriptionId);
    }

    private static Subscription of(Subscriptions.View view) {
        return new Subscription(
                view.id(),
                view.url(),
                view.events(),
                view.description(),
                view.enabled(),
                view.secretLast4(),
                view.disabledReason(),
                view.createdAt());
    }
}

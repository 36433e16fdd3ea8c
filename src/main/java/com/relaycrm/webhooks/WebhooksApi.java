package com.relaycrm.webhooks;

import java.time.OffsetDateTime;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What other modules (the web console) may ask of webhooks, with the API's rules and answers: the same validation
 * (422 problems), the same URL rules, the secret shown only by {@link #create}.
 */
public interface WebhooksApi {

    /** Event names a subscription may name, {@code *} last. */
    List<String> eventNames();

    List<Subscription> subscriptions();

    Subscription subscription(long id);

    /** Creates a subscription as {@code POST /api/v1/webhooks}; the answer carries the secret, this once. */
    Created create(String url, List<String> events, @Nullable String description);

    /** A page of the delivery log, newest first; {@code after} is a previous page's {@link DeliveryPage#nextCursor}. */
    DeliveryPage deliveries(long subscriptionId, @Nullable String after, int limit);

    /** Queues a delivery's message again (same id and body). */
    void redeliver(long subscriptionId, long deliveryId);

    /** Queues a {@code ping}. */
    void test(long subscriptionId);

    record Subscription(
            long id,
            String url,
            List<String> events,
            @Nullable String description,
            boolean enabled,
            String secretLast4,
            @Nullable String disabledReason,
            OffsetDateTime createdAt) {}

    record Created(Subscription subscription, String secret) {}

    record Delivery(
            long id,
            String messageId,
            String eventType,
            String status,
            int attempts,
            @Nullable Integer lastResponseStatus,
            @Nullable String lastResponseBody,
            @Nullable String lastError,
            @Nullable Integer latencyMs,
            @Nullable OffsetDateTime nextAttemptAt,
            OffsetDateTime createdAt) {}

    record DeliveryPage(List<Delivery> deliveries, @Nullable String nextCursor) {}
}

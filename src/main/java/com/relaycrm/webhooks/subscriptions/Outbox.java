package com.relaycrm.webhooks.subscriptions;

import com.relaycrm.fieldservice.ImportFinished;
import com.relaycrm.fieldservice.VisitCreated;
import com.relaycrm.fieldservice.VisitUpdated;
import com.relaycrm.gistwatch.GistDealCreated;
import com.relaycrm.messaging.MessageDeleted;
import com.relaycrm.messaging.MessageEdited;
import com.relaycrm.messaging.MessagePosted;
import com.relaycrm.messaging.ThreadCreated;
import com.relaycrm.sales.CustomerCreated;
import com.relaycrm.sales.EmployeeCreated;
import com.relaycrm.sales.LeadCreated;
import com.relaycrm.sales.LeadUpdated;
import com.relaycrm.sales.LeadWon;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes the outbox: listens synchronously, so inside the publishing transaction, and turns each event into one
 * delivery row per enabled subscription that wants it, in one {@code INSERT ... SELECT}. A change that rolls back
 * takes its rows with it; one that commits cannot lose them.
 *
 * <p>The resource key orders deliveries: messages are keyed by their thread, so a receiver sees a thread's
 * {@code thread.created} and its messages' posts, edits and deletes in commit order.
 */
@Component
class Outbox {

    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final Subscriptions subscriptions;

    Outbox(JdbcClient jdbc, JsonMapper json, Subscriptions subscriptions) {
        this.jdbc = jdbc;
        this.json = json;
        this.subscriptions = subscriptions;
    }

    @EventListener
    void on(LeadCreated event) {
        record("lead.created", "lead:" + event.leadId(), event.lead());
    }

    @EventListener
    void on(LeadUpdated event) {
        record("lead.updated", "lead:" + event.leadId(), event.lead());
    }

    @EventListener
    void on(LeadWon event) {
        record("lead.won", "lead:" + event.leadId(), event.lead());
    }

    @EventListener
    void on(CustomerCreated event) {
        record("customer.created", "customer:" + event.customerId(), event.customer());
    }

    @EventListener
    void on(EmployeeCreated event) {
        record("employee.created", "employee:" + event.employeeId(), event.employee());
    }

    @EventListener
    void on(ThreadCreated event) {
        record("thread.created", "thread:" + event.threadId(), event.thread());
    }

    @EventListener
    void on(MessagePosted event) {
        record("message.posted", "thread:" + event.threadId(), event.message());
    }

    @EventListener
    void on(MessageEdited event) {
        record("message.edited", "thread:" + event.threadId(), event.message());
    }

    @EventListener
    void on(MessageDeleted event) {
        record("message.deleted", "thread:" + event.threadId(), event.message());
    }

    @EventListener
    void on(VisitCreated event) {
        record("visit.created", "visit:" + event.visitId(), event.visit());
    }

    @EventListener
    void on(VisitUpdated event) {
        record("visit.updated", "visit:" + event.visitId(), event.visit());
    }

    @EventListener
    void on(ImportFinished event) {
        record("import.finished", "import:" + event.importId(), event.result());
    }

    @EventListener
    void on(GistDealCreated event) {
        record("gist.deal_created", "gist:" + event.gistId(), event.deal());
    }

    /** The body every attempt of this event sends, byte for byte (the signature covers it). */
    String body(String type, OffsetDateTime at, Object data) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", type);
        body.put("timestamp", DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(at));
        body.put("data", data);
        return json.writeValueAsString(body);
    }

    static String newMessageId() {
        return "msg_" + UUID.randomUUID().toString().replace("-", "");
    }

    private void record(String type, String resourceKey, Object data) {
        OffsetDateTime now = subscriptions.now();
        jdbc.sql("""
                        INSERT INTO webhooks_delivery (subscription_id, message_id, event_type, resource_key, body,
                                                       next_attempt_at, created_at)
                        SELECT s.id, :message, :type, :key, :body, :now, :now FROM webhooks_subscription s
                        WHERE s.enabled AND s.events && ARRAY[:type, '*']::text[]""")
                .param("message", newMessageId())
                .param("type", type)
                .param("key", resourceKey)
                .param("body", body(type, now, data))
                .param("now", now)
                .update();
    }
}

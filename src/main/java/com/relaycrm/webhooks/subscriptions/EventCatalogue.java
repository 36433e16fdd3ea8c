package com.relaycrm.webhooks.subscriptions;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The events a subscription may name; {@code *} stands for all of them, including ones added later. */
final class EventCatalogue {

    static final String ALL = "*";
    static final String PING = "ping";

    static final Map<String, String> EVENTS = events();

    private EventCatalogue() {}

    private static Map<String, String> events() {
        Map<String, String> events = new LinkedHashMap<>();
        events.put("lead.created", "A lead was created; data is the lead as GET /leads/{id} returns it.");
        events.put("lead.updated", "A lead changed (a win too); data is the lead after the change.");
        events.put("lead.won", "A lead became Won and has its customer; data is the won lead.");
        events.put("customer.created", "A customer was created (directly or by converting a lead).");
        events.put("employee.created", "An employee was created.");
        events.put("message.posted", "A message was posted; data is the message with its thread_id and seq.");
        events.put("message.edited", "A message was edited; data is the message after the edit.");
        events.put("message.deleted", "A message was deleted; data is its tombstone.");
        events.put("thread.created", "A thread was opened; data has thread_id, users, created_by, created_at.");
        events.put("visit.created", "A field-service visit was recorded through the API.");
        events.put("visit.updated", "A field-service visit was changed through the API.");
        events.put("import.finished", "A CSV import of visits ended (SUCCESS or FAILURE) with its counts.");
        events.put("gist.deal_created", "A watched user's gist got its Pipedrive deal.");
        events.put(ALL, "Every event above, and any added later.");
        return java.util.Collections.unmodifiableMap(events);
    }

    static List<String> unknown(List<String> names) {
        return names.stream().filter(n -> !EVENTS.containsKey(n)).distinct().toList();
    }
}

package com.relaycrm.sales.leads;

import java.time.OffsetDateTime;
import tools.jackson.databind.JsonNode;

/** One change to a lead: who, when, what kind, and each changed field as {@code {"from": .., "to": ..}}. */
record LeadHistoryEntry(long id, OffsetDateTime at, String username, String action, JsonNode changes) {}

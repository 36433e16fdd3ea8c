package com.relaycrm.sales;

/**
 * A lead was created; published in the creating transaction.
 *
 * @param lead the lead as {@code GET /leads/{id}} returns it
 */
public record LeadCreated(long leadId, Object lead) {}

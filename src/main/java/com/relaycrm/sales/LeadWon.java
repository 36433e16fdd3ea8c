package com.relaycrm.sales;

/**
 * A lead became {@code Won}; published in the converting transaction right after its {@link LeadUpdated}.
 *
 * @param lead the won lead as {@code GET /leads/{id}} returns it (with its {@code customer_id})
 */
public record LeadWon(long leadId, long customerId, Object lead) {}

package com.relaycrm.sales;

/**
 * A lead changed (including a move to {@code Won}, which also publishes {@link LeadWon}); published in the changing
 * transaction, after the lead's row lock, so events of one lead are published in commit order.
 *
 * @param lead the lead as {@code GET /leads/{id}} returns it after the change
 */
public record LeadUpdated(long leadId, Object lead) {}

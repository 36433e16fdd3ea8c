package com.relaycrm.gistwatch;

/**
 * A watched user's gist now has its Pipedrive deal; published in the transaction that records the deal, once per
 * gist.
 *
 * @param deal {@code gist_id}, {@code login}, {@code description}, {@code deal_id}, {@code org_id}
 */
public record GistDealCreated(String gistId, long dealId, Object deal) {}

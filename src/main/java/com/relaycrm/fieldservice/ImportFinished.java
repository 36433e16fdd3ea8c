package com.relaycrm.fieldservice;

/**
 * A CSV import ended ({@code SUCCESS} or {@code FAILURE}); published in the transaction that records its end.
 *
 * @param result {@code task_id}, {@code state}, {@code dry_run}, the row counts, {@code failure} and the times
 */
public record ImportFinished(String importId, Object result) {}

package com.relaycrm.fieldservice;

/**
 * A visit was changed through the API ({@code PATCH}/{@code PUT}); published in the changing transaction, under the
 * visit's row lock.
 *
 * @param visit the visit after the change, as {@code GET /api/v1/atendimento/{id}} returns it
 */
public record VisitUpdated(long visitId, Object visit) {}

package com.relaycrm.fieldservice;

/**
 * A visit was recorded through the API; published in the recording transaction. CSV imports do not publish one
 * per row: their end is {@link ImportFinished}.
 *
 * @param visit the visit as {@code GET /api/v1/atendimento/{id}} returns it
 */
public record VisitCreated(long visitId, Object visit) {}

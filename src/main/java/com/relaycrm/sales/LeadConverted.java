package com.relaycrm.sales;

import java.time.OffsetDateTime;

/**
 * A lead became {@code Won} and now has its customer; published in the converting transaction.
 *
 * @param linkedExisting true when an existing customer with the lead's e-mail was linked instead of a new one
 */
public record LeadConverted(
        long leadId,
        long customerId,
        boolean linkedExisting,
        long accountManagerId,
        String contactEmail,
        OffsetDateTime convertedAt,
        String convertedBy) {}

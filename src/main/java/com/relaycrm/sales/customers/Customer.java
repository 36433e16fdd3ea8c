package com.relaycrm.sales.customers;

import java.time.LocalDate;
import java.time.OffsetDateTime;

/** A customer as the API shows it. */
public record Customer(
        long id,
        String name,
        String contactEmail,
        String phoneNumber,
        String address,
        LocalDate signedDate,
        long accountManagerId,
        Long leadId,
        OffsetDateTime createdAt,
        OffsetDateTime updatedAt,
        long version) {}

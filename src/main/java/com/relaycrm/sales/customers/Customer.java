package com.relaycrm.sales.customers;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import org.jspecify.annotations.Nullable;

/** A customer as the API shows it. */
public record Customer(
        long id,
        String name,
        String contactEmail,
        @Nullable String phoneNumber,
        @Nullable String address,
        LocalDate signedDate,
        long accountManagerId,
        @Nullable Long leadId,
        OffsetDateTime createdAt,
        OffsetDateTime updatedAt,
        long version) {}

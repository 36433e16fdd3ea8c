package com.relaycrm.sales.leads;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import org.jspecify.annotations.Nullable;

/** A lead (sales opportunity) as the API shows it; {@code customerId} is set once a customer holds the lead. */
record Lead(
        long id,
        String name,
        String contactEmail,
        String status,
        @Nullable BigDecimal expectedRevenue,
        String currency,
        @Nullable String source,
        long assignedTo,
        @Nullable String lostReason,
        @Nullable Long customerId,
        OffsetDateTime createdAt,
        OffsetDateTime updatedAt,
        long version) {}

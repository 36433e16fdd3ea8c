package com.relaycrm.sales.leads;

import java.math.BigDecimal;
import java.time.OffsetDateTime;

/** A lead (sales opportunity) as the API shows it; {@code customerId} is set once a customer holds the lead. */
record Lead(
        long id,
        String name,
        String contactEmail,
        String status,
        BigDecimal expectedRevenue,
        String currency,
        String source,
        long assignedTo,
        String lostReason,
        Long customerId,
        OffsetDateTime createdAt,
        OffsetDateTime updatedAt,
        long version) {}

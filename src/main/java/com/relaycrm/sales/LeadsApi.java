package com.relaycrm.sales;

import java.math.BigDecimal;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** What other modules may ask the sales module. */
public interface LeadsApi {

    /** A live (not deleted) lead. */
    Optional<LeadSummary> findLead(long leadId);

    /** The customer a lead was converted into, if any. */
    Optional<Long> customerOf(long leadId);

    record LeadSummary(
            long id,
            String name,
            String contactEmail,
            String status,
            @Nullable BigDecimal expectedRevenue,
            String currency,
            long assignedTo,
            @Nullable Long customerId) {}
}

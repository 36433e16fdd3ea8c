package com.relaycrm.sales.employees;

import java.time.OffsetDateTime;
import java.util.List;

/** An employee as the API shows it. */
public record Employee(
        long id,
        String name,
        String email,
        String role,
        boolean active,
        OffsetDateTime createdAt,
        OffsetDateTime updatedAt) {

    static final List<String> ROLES = List.of("SALES_REP", "ACCOUNT_MANAGER", "SALES_MANAGER");
}

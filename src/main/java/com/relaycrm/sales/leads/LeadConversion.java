package com.relaycrm.sales.leads;

import com.relaycrm.platform.ApiProblem;
import com.relaycrm.sales.customers.Customer;
import com.relaycrm.sales.customers.Customers;
import com.relaycrm.sales.employees.Employees;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * Finds or creates the one customer of a lead being won. It runs inside the caller's transaction while the caller
 * holds the lead's row lock, so parallel wins of one lead are serialised and the later ones see it won already.
 */
@Component
class LeadConversion {

    private final Customers customers;
    private final Employees employees;
    private final Clock clock;

    LeadConversion(Customers customers, Employees employees, Clock clock) {
        this.customers = customers;
        this.employees = employees;
        this.clock = clock;
    }

    record Result(long customerId, boolean linkedExisting, long accountManagerId) {}

    /** Throws a 409 (rolling the caller's transaction back) when the e-mail belongs to another lead's customer. */
    Result customerFor(Lead lead, @Nullable Long requestedManager) {
        if (requestedManager != null && !employees.isActive(requestedManager)) {
            throw ApiProblem.invalid("account_manager_id", "must be an existing, active employee");
        }
        long manager = requestedManager != null ? requestedManager : lead.assignedTo();
        Optional<Customer> own = customers.lockByLead(lead.id());
        if (own.isPresent()) {
            return new Result(own.get().id(), true, own.get().accountManagerId());
        }
        Optional<Customer> sameEmail = customers.lockByEmail(lead.contactEmail());
        if (sameEmail.isEmpty()) {
            LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
            Optional<Long> created =
                    customers.insertForLead(lead.name(), lead.contactEmail(), manager, today, lead.id());
            if (created.isPresent()) {
                return new Result(created.get(), false, manager);
            }
            // another transaction created a customer with this e-mail meanwhile; it has committed, so look again
            sameEmail = customers.lockByEmail(lead.contactEmail());
        }
        Customer existing = sameEmail.orElseThrow(
                () -> ApiProblem.conflict("A customer for this e-mail was changed concurrently; retry the request"));
        if (existing.leadId() != null) {
            throw ApiProblem.conflict("Customer " + existing.id() + " with this e-mail already belongs to lead "
                            + existing.leadId())
                    .with("existing_id", existing.id());
        }
        customers.linkLead(existing.id(), lead.id());
        return new Result(existing.id(), true, existing.accountManagerId());
    }
}

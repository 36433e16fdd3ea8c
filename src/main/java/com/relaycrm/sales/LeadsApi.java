package com.relaycrm.sales;

import com.relaycrm.platform.SearchTerms;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** What other modules may ask the sales module. */
public interface LeadsApi {

    /** A live (not deleted) lead. */
    Optional<LeadSummary> findLead(long leadId);

    /** The customer a lead was converted into, if any. */
    Optional<Long> customerOf(long leadId);

    /**
     * Live leads grouped by status in pipeline order: each column's count and revenue sums per currency over all
     * matching leads (computed in the database), and its {@code leadsPerColumn} newest leads.
     */
    List<StatusColumn> pipeline(LeadFilter filter, int leadsPerColumn);

    /** A live lead with the fields the console shows. */
    Optional<LeadView> lead(long leadId);

    /** What happened to a lead, oldest first; an unknown or deleted lead is a 404 problem. */
    List<HistoryEntry> leadHistory(long leadId);

    /** Converts a lead into its customer (idempotent, as {@code POST /leads/{id}/convert}); returns the lead. */
    LeadView convertLead(long leadId, String username);

    /** Live customers, newest first; {@code q} matches name or e-mail (contains, case-insensitive). */
    PageOf<CustomerView> customers(@Nullable String q, int skip, int limit);

    Optional<CustomerView> customer(long customerId);

    /** Employees by name. */
    PageOf<EmployeeView> employees(int skip, int limit);

    /**
     * Employees, leads and customers matching {@code q} (words, word prefixes, fragments such as e-mail parts or
     * phone digits, one-letter typos; accents ignored), the best {@code limit} of each kind in {@code kinds}
     * ({@link SalesHit#LEAD}, {@link SalesHit#CUSTOMER}, {@link SalesHit#EMPLOYEE}), best first. The caller decides
     * which kinds its user may read.
     */
    List<SalesHit> search(SearchTerms q, Set<String> kinds, int limit);

    /**
     * One search hit: {@code text} is the plain text the hit was found in (name, e-mail, ...), score in [0, 1].
     */
    record SalesHit(String kind, long id, String title, String text, double score) {
        public static final String LEAD = "lead";
        public static final String CUSTOMER = "customer";
        public static final String EMPLOYEE = "employee";
    }

    record LeadSummary(
            long id,
            String name,
            String contactEmail,
            String status,
            @Nullable BigDecimal expectedRevenue,
            String currency,
            long assignedTo,
            @Nullable Long customerId) {}

    /** Pipeline filters; null means "any". {@code createdTo} is inclusive (the whole day). */
    record LeadFilter(
            @Nullable Long assignedTo,
            @Nullable String source,
            @Nullable String q,
            @Nullable LocalDate createdFrom,
            @Nullable LocalDate createdTo) {}

    record StatusColumn(String status, long count, List<Amount> revenue, List<LeadView> leads) {}

    record Amount(String currency, BigDecimal total) {}

    record LeadView(
            long id,
            String name,
            String contactEmail,
            String status,
            @Nullable BigDecimal expectedRevenue,
            String currency,
            @Nullable String source,
            long assignedTo,
            String assignedToName,
            @Nullable String lostReason,
            @Nullable Long customerId,
            OffsetDateTime createdAt,
            OffsetDateTime updatedAt) {}

    /** One change: {@code changes} maps each field to {@code {"from": .., "to": ..}} as JSON text. */
    record HistoryEntry(OffsetDateTime at, String username, String action, String changes) {}

    record CustomerView(
            long id,
            String name,
            String contactEmail,
            @Nullable String phoneNumber,
            @Nullable String address,
            LocalDate signedDate,
            long accountManagerId,
            String accountManagerName,
            @Nullable Long leadId) {}

    record EmployeeView(long id, String name, String email, String role, boolean active) {}

    record PageOf<T>(List<T> items, long total) {}
}

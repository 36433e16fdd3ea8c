package com.relaycrm.sales.leads;

import com.relaycrm.platform.ApiProblem;
import com.relaycrm.platform.SearchTerms;
import com.relaycrm.sales.LeadConverted;
import com.relaycrm.sales.LeadCreated;
import com.relaycrm.sales.LeadUpdated;
import com.relaycrm.sales.LeadWon;
import com.relaycrm.sales.LeadsApi;
import com.relaycrm.sales.employees.Employees;
import com.relaycrm.sales.shared.Etags;
import com.relaycrm.sales.shared.SalesSearch;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.json.JsonMapper;

/**
 * Leads: creation with duplicate detection, partial updates with status rules and optimistic locking, soft
 * delete, history, and the conversion of a won lead into its customer in the same transaction.
 */
@Service
class Leads implements LeadsApi {

    private static final String COLUMNS = """
            l.id, l.name, l.contact_email, l.status, l.expected_revenue, l.currency, l.source, l.assigned_to,
            l.lost_reason, (SELECT c.id FROM sales_customer c WHERE c.lead_id = l.id) AS customer_id, l.created_at,
            l.updated_at, l.version""";
    private static final String OPEN = "deleted_at IS NULL AND status NOT IN ('Won', 'Lost')";

    private final JdbcClient jdbc;
    private final Employees employees;
    private final LeadConversion conversion;
    private final ApplicationEventPublisher events;
    private final JsonMapper json;
    private final Clock clock;
    private final LeadBoard board;
    private final SalesSearch search;

    Leads(
            JdbcClient jdbc,
            Employees employees,
            LeadConversion conversion,
            ApplicationEventPublisher events,
            JsonMapper json,
            Clock clock,
            LeadBoard board,
            SalesSearch search) {
        this.board = board;
        this.search = search;
        this.jdbc = jdbc;
        this.employees = employees;
        this.conversion = conversion;
        this.events = events;
        this.json = json;
        this.clock = clock;
    }

    /** Fields of a create or a partial update; {@code present} names the fields the request sent. */
    record Changes(
            Set<String> present,
            @Nullable String name,
            @Nullable String contactEmail,
            @Nullable String status,
            @Nullable BigDecimal expectedRevenue,
            @Nullable String currency,
            @Nullable String source,
            @Nullable Long assignedTo,
            @Nullable String lostReason,
            @Nullable Long accountManagerId) {

        boolean has(String field) {
            return present.contains(field);
        }
    }

    record Filter(
            @Nullable String status,
            @Nullable Long assignedTo,
            @Nullable String source,
            @Nullable SearchTerms q,
            @Nullable OffsetDateTime createdFrom,
            @Nullable OffsetDateTime createdTo,
            String orderBy) {}

    record Page(List<Lead> items, long total) {}

    @Transactional
    Lead create(Changes input, String username) {
        // The controller validated the required fields of a create, so they are present here.
        requireActiveEmployee("assigned_to", Objects.requireNonNull(input.assignedTo(), "assigned_to"));
        OffsetDateTime now = now();
        Optional<Lead> created = jdbc.sql("""
                INSERT INTO sales_lead (name, contact_email, status, expected_revenue, currency, source, assigned_to,
                                        created_at, updated_at)
                VALUES (:name, :email, :status, :revenue, :currency, :source, :assigned, :now, :now)
                ON CONFLICT (email_key, name_key) WHERE deleted_at IS NULL AND status NOT IN ('Won', 'Lost')
                DO NOTHING
                RETURNING id, name, contact_email, status, expected_revenue, currency, source, assigned_to,
                          lost_reason, NULL::bigint AS customer_id, created_at, updated_at, version""")
                .param("name", input.name())
                .param("email", input.contactEmail())
                .param("status", input.status())
                .param("revenue", input.expectedRevenue())
                .param("currency", input.currency())
                .param("source", input.source())
                .param("assigned", input.assignedTo())
                .param("now", now)
                .query(Leads::map)
                .optional();
        if (created.isEmpty()) {
            throw duplicate(openDuplicate(
                            Objects.requireNonNull(input.name(), "name"),
                            Objects.requireNonNull(input.contactEmail(), "contact_email"),
                            0)
                    .orElse(null));
        }
        Lead lead = created.get();
        Map<String, Object[]> changes = new LinkedHashMap<>();
        diff(changes, "name", null, lead.name());
        diff(changes, "contact_email", null, lead.contactEmail());
        diff(changes, "status", null, lead.status());
        diff(changes, "expected_revenue", null, lead.expectedRevenue());
        diff(changes, "currency", null, lead.currency());
        diff(changes, "source", null, lead.source());
        diff(changes, "assigned_to", null, lead.assignedTo());
        writeHistory(lead.id(), now, username, "created", changes);
        events.publishEvent(new LeadCreated(lead.id(), lead));
        return lead;
    }

    Optional<Lead> find(long id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM sales_lead l WHERE l.id = :id AND l.deleted_at IS NULL")
                .param("id", id)
                .query(Leads::map)
                .optional();
    }

    Page list(Filter filter, int skip, int limit) {
        Map<String, Object> params = new LinkedHashMap<>();
        String where = where(filter, params);
        // The page and its total in one statement (the count is an uncorrelated sub-select, run once): one round
        // trip and one pool checkout instead of two per list request.
        long[] total = {-1};
        List<Lead> items = jdbc.sql("SELECT " + COLUMNS + ", (SELECT count(*) FROM sales_lead l" + where
                        + ") AS total_count FROM sales_lead l" + where + " ORDER BY " + filter.orderBy()
                        + " LIMIT :limit OFFSET :skip")
                .params(params)
                .param("limit", limit)
                .param("skip", skip)
                .query((rs, row) -> {
                    total[0] = rs.getLong("total_count");
                    return map(rs, row);
                })
                .list();
        if (items.isEmpty()) {
            total[0] = skip == 0
                    ? 0
                    : jdbc.sql("SELECT count(*) FROM sales_lead l" + where)
                            .params(params)
                            .query(Long.class)
                            .single();
        }
        return new Page(items, total[0]);
    }

    /** Every lead the list filter selects, in the list's order, read through a cursor (an export). */
    void forEach(Filter filter, java.util.function.Consumer<? super Lead> each) {
        Map<String, Object> params = new LinkedHashMap<>();
        String where = where(filter, params);
        jdbc.sql("SELECT " + COLUMNS + " FROM sales_lead l" + where + " ORDER BY " + filter.orderBy())
                .params(params)
                .withFetchSize(com.relaycrm.platform.Exports.FETCH_SIZE)
                .query(rs -> {
                    each.accept(map(rs, 0));
                });
    }

    private static String where(Filter filter, Map<String, Object> params) {
        StringBuilder where = new StringBuilder(" WHERE l.deleted_at IS NULL");
        if (filter.status() != null) {
            where.append(" AND l.status = :status");
            params.put("status", filter.status());
        }
        if (filter.assignedTo() != null) {
            where.append(" AND l.assigned_to = :assigned");
            params.put("assigned", filter.assignedTo());
        }
        if (filter.source() != null) {
            where.append(" AND l.source = :source");
            params.put("source", filter.source());
        }
        SearchTerms q = filter.q();
        if (q != null) {
            where.append(" AND ").append(SalesSearch.listCondition("l.", q, params));
        }
        if (filter.createdFrom() != null) {
            where.append(" AND l.created_at >= :from");
            params.put("from", filter.createdFrom());
        }
        if (filter.createdTo() != null) {
            where.append(" AND l.created_at < :to");
            params.put("to", filter.createdTo());
        }
        return where.toString();
    }

    /** PATCH and PUT: every sent field is applied; a move to Won converts the lead in this transaction. */
    @Transactional
    Lead update(long id, Changes changes, @Nullable String ifMatch, String username) {
        Lead current = lockLive(id);
        Etags.requireMatch(ifMatch, current.version());
        // A sent name, contact_email, status, currency or assigned_to is never null: the controller rejects that.
        String status = changes.has("status") ? required(changes.status(), "status") : current.status();
        if (!LeadStatus.canMove(current.status(), status)) {
            throw ApiProblem.conflict("Lead " + id + " is Won, which is final; it cannot become " + status);
        }
        if (changes.has("lost_reason") && changes.lostReason() != null && !LeadStatus.LOST.equals(status)) {
            throw ApiProblem.invalid("lost_reason", "is only allowed when status is Lost");
        }
        if (changes.has("account_manager_id") && !LeadStatus.WON.equals(status)) {
            throw ApiProblem.invalid("account_manager_id", "is only allowed when status becomes Won");
        }
        long assignedTo =
                changes.has("assigned_to") ? required(changes.assignedTo(), "assigned_to") : current.assignedTo();
        if (assignedTo != current.assignedTo()) {
            requireActiveEmployee("assigned_to", assignedTo);
        }
        String name = changes.has("name") ? required(changes.name(), "name") : current.name();
        String email = changes.has("contact_email")
                ? required(changes.contactEmail(), "contact_email")
                : current.contactEmail();
        String lostReason = !LeadStatus.LOST.equals(status)
                ? null
                : changes.has("lost_reason") ? changes.lostReason() : current.lostReason();
        Lead next = new Lead(
                id,
                name,
                email,
                status,
                changes.has("expected_revenue") ? changes.expectedRevenue() : current.expectedRevenue(),
                changes.has("currency") ? required(changes.currency(), "currency") : current.currency(),
                changes.has("source") ? changes.source() : current.source(),
                assignedTo,
                lostReason,
                current.customerId(),
                current.createdAt(),
                current.updatedAt(),
                current.version());
        boolean winning = LeadStatus.WON.equals(status) && !LeadStatus.WON.equals(current.status());
        return apply(current, next, winning, changes.accountManagerId(), username, "updated");
    }

    /** {@code POST /leads/{id}/convert}: idempotent; a lead that is already won answers with its customer. */
    @Transactional
    Lead convert(long id, @Nullable Long accountManagerId, @Nullable String ifMatch, String username) {
        Lead current = lockLive(id);
        Etags.requireMatch(ifMatch, current.version());
        if (LeadStatus.WON.equals(current.status())) {
            return current;
        }
        Lead next = new Lead(
                id,
                current.name(),
                current.contactEmail(),
                LeadStatus.WON,
                current.expectedRevenue(),
                current.currency(),
                current.source(),
                current.assignedTo(),
                null,
                current.customerId(),
                current.createdAt(),
                current.updatedAt(),
                current.version());
        return apply(current, next, true, accountManagerId, username, "converted");
    }

    private Lead apply(
            Lead current, Lead next, boolean winning, @Nullable Long accountManager, String username, String action) {
        Map<String, Object[]> changes = new LinkedHashMap<>();
        diff(changes, "name", current.name(), next.name());
        diff(changes, "contact_email", current.contactEmail(), next.contactEmail());
        diff(changes, "status", current.status(), next.status());
        diff(changes, "expected_revenue", current.expectedRevenue(), next.expectedRevenue());
        diff(changes, "currency", current.currency(), next.currency());
        diff(changes, "source", current.source(), next.source());
        diff(changes, "assigned_to", current.assignedTo(), next.assignedTo());
        diff(changes, "lost_reason", current.lostReason(), next.lostReason());
        if (changes.isEmpty()) {
            return current;
        }
        if (LeadStatus.isOpen(next.status())
                && (changes.containsKey("name")
                        || changes.containsKey("contact_email")
                        || changes.containsKey("status"))) {
            Optional<Long> duplicate = openDuplicate(next.name(), next.contactEmail(), next.id());
            if (duplicate.isPresent()) {
                throw duplicate(duplicate.get());
            }
        }
        LeadConversion.Result converted = null;
        if (winning) {
            converted = conversion.customerFor(next, accountManager);
            diff(changes, "customer_id", current.customerId(), converted.customerId());
            action = "converted";
        }
        OffsetDateTime now = now();
        try {
            jdbc.sql("""
                    UPDATE sales_lead SET name = :name, contact_email = :email, status = :status,
                           expected_revenue = :revenue, currency = :currency, source = :source,
                           assigned_to = :assigned, lost_reason = :lostReason, updated_at = :now,
                           version = version + 1
                    WHERE id = :id""")
                    .param("name", next.name())
                    .param("email", next.contactEmail())
                    .param("status", next.status())
                    .param("revenue", next.expectedRevenue())
                    .param("currency", next.currency())
                    .param("source", next.source())
                    .param("assigned", next.assignedTo())
                    .param("lostReason", next.lostReason())
                    .param("now", now)
                    .param("id", next.id())
                    .update();
        } catch (DuplicateKeyException e) {
            throw duplicate(null);
        }
        writeHistory(next.id(), now, username, action, changes);
        if (converted != null) {
            events.publishEvent(new LeadConverted(
                    next.id(),
                    converted.customerId(),
                    converted.linkedExisting(),
                    converted.accountManagerId(),
                    next.contactEmail(),
                    now,
                    username));
        }
        Lead updated = find(next.id()).orElseThrow();
        events.publishEvent(new LeadUpdated(updated.id(), updated));
        if (converted != null) {
            events.publishEvent(new LeadWon(updated.id(), converted.customerId(), updated));
        }
        return updated;
    }

    /** Soft delete; a won lead stays, because its customer points at it. */
    @Transactional
    void delete(long id, String username) {
        Lead lead = lockLive(id);
        if (LeadStatus.WON.equals(lead.status())) {
            throw ApiProblem.conflict(
                    "Lead " + id + " is Won (converted into customer " + lead.customerId() + ") and cannot be deleted");
        }
        OffsetDateTime now = now();
        jdbc.sql("UPDATE sales_lead SET deleted_at = :now, updated_at = :now, version = version + 1 WHERE id = :id")
                .param("now", now)
                .param("id", id)
                .update();
        writeHistory(id, now, username, "deleted", Map.of());
    }

    /** Brings a soft-deleted lead back; restoring a live lead is a no-op. */
    @Transactional
    Lead restore(long id, String username) {
        record Row(String name, String email, String status, boolean deleted) {}
        Row row = jdbc.sql("SELECT name, contact_email, status, deleted_at IS NOT NULL FROM sales_lead"
                        + " WHERE id = :id FOR UPDATE")
                .param("id", id)
                .query((rs, n) -> new Row(rs.getString(1), rs.getString(2), rs.getString(3), rs.getBoolean(4)))
                .optional()
                .orElseThrow(() -> notFound(id));
        if (row.deleted()) {
            if (LeadStatus.isOpen(row.status())) {
                Optional<Long> duplicate = openDuplicate(row.name(), row.email(), id);
                if (duplicate.isPresent()) {
                    throw duplicate(duplicate.get());
                }
            }
            OffsetDateTime now = now();
            try {
                jdbc.sql("""
                        UPDATE sales_lead SET deleted_at = NULL, updated_at = :now, version = version + 1
                        WHERE id = :id""").param("now", now).param("id", id).update();
            } catch (DuplicateKeyException e) {
                throw duplicate(null);
            }
            writeHistory(id, now, username, "restored", Map.of());
        }
        return find(id).orElseThrow();
    }

    List<LeadHistoryEntry> history(long id) {
        if (find(id).isEmpty()) {
            throw notFound(id);
        }
        return jdbc.sql("SELECT id, at, username, action, changes::text FROM sales_lead_history WHERE lead_id = :id"
                        + " ORDER BY id")
                .param("id", id)
                .query((rs, n) -> new LeadHistoryEntry(
                        rs.getLong(1),
                        rs.getObject(2, OffsetDateTime.class),
                        rs.getString(3),
                        rs.getString(4),
                        json.readTree(rs.getString(5))))
                .list();
    }

    @Override
    public Optional<LeadSummary> findLead(long leadId) {
        return find(leadId)
                .map(l -> new LeadSummary(
                        l.id(),
                        l.name(),
                        l.contactEmail(),
                        l.status(),
                        l.expectedRevenue(),
                        l.currency(),
                        l.assignedTo(),
                        l.customerId()));
    }

    @Override
    public Optional<Long> customerOf(long leadId) {
        return jdbc.sql("SELECT id FROM sales_customer WHERE lead_id = :id")
                .param("id", leadId)
                .query(Long.class)
                .optional();
    }

    @Override
    public List<StatusColumn> pipeline(LeadFilter filter, int leadsPerColumn) {
        return board.pipeline(filter, leadsPerColumn);
    }

    @Override
    public Optional<LeadView> lead(long leadId) {
        return board.lead(leadId);
    }

    @Override
    public List<HistoryEntry> leadHistory(long leadId) {
        return history(leadId).stream()
                .map(h -> new HistoryEntry(h.at(), h.username(), h.action(), json.writeValueAsString(h.changes())))
                .toList();
    }

    /** Called through the bean's proxy, so the conversion runs in one transaction like the API's. */
    @Override
    @Transactional
    public LeadView convertLead(long leadId, String username) {
        convert(leadId, null, null, username);
        return board.lead(leadId).orElseThrow(() -> notFound(leadId));
    }

    @Override
    public List<SalesHit> search(SearchTerms q, Set<String> kinds, int limit) {
        return search.search(q, kinds, limit);
    }

    @Override
    public PageOf<CustomerView> customers(@Nullable String q, int skip, int limit) {
        return board.customers(q, skip, limit);
    }

    @Override
    public Optional<CustomerView> customer(long customerId) {
        return board.customer(customerId);
    }

    @Override
    public PageOf<EmployeeView> employees(int skip, int limit) {
        return board.employees(skip, limit);
    }

    /**
     * Locks the lead's row, then reads it in a new statement: after waiting for the lock, PostgreSQL re-checks only
     * the locked row, so columns computed by subqueries in the locking statement (customer_id) could still show the
     * state from before the wait.
     */
    private Lead lockLive(long id) {
        boolean locked = jdbc.sql("SELECT id FROM sales_lead WHERE id = :id AND deleted_at IS NULL FOR UPDATE")
                .param("id", id)
                .query(Long.class)
                .optional()
                .isPresent();
        if (!locked) {
            throw notFound(id);
        }
        return find(id).orElseThrow(() -> notFound(id));
    }

    private Optional<Long> openDuplicate(String name, String email, long except) {
        return jdbc.sql("SELECT id FROM sales_lead WHERE " + OPEN + " AND email_key = lower(:email)"
                        + " AND name_key = lower(regexp_replace(:name, '\\s+', ' ', 'g')) AND id <> :except")
                .param("email", email)
                .param("name", name)
                .param("except", except)
                .query(Long.class)
                .optional();
    }

    private void requireActiveEmployee(String field, long employeeId) {
        if (!employees.isActive(employeeId)) {
            throw ApiProblem.invalid(field, "must be an existing, active employee");
        }
    }

    private void writeHistory(
            long leadId, OffsetDateTime at, String username, String action, Map<String, Object[]> diff) {
        Map<String, Map<String, Object>> changes = new LinkedHashMap<>();
        diff.forEach((field, values) -> {
            Map<String, Object> change = new LinkedHashMap<>();
            change.put("from", values[0]);
            change.put("to", values[1]);
            changes.put(field, change);
        });
        jdbc.sql("""
                INSERT INTO sales_lead_history (lead_id, at, username, action, changes)
                VALUES (:lead, :at, :username, :action, CAST(:changes AS jsonb))""")
                .param("lead", leadId)
                .param("at", at)
                .param("username", username)
                .param("action", action)
                .param("changes", json.writeValueAsString(changes))
                .update();
    }

    private static void diff(
            Map<String, Object[]> changes, String field, @Nullable Object before, @Nullable Object after) {
        boolean same = before instanceof BigDecimal a && after instanceof BigDecimal b
                ? a.compareTo(b) == 0 && a.scale() == b.scale()
                : Objects.equals(before, after);
        if (!same) {
            changes.put(field, new Object[] {before, after});
        }
    }

    private static <T> T required(@Nullable T value, String field) {
        if (value == null) {
            throw ApiProblem.invalid(field, "must not be null");
        }
        return value;
    }

    private static ApiProblem duplicate(@Nullable Long existing) {
        ApiProblem problem = ApiProblem.conflict("An open lead with this name and e-mail already exists"
                + (existing == null ? "" : " (lead " + existing + ")"));
        return existing == null ? problem : problem.with("existing_id", existing);
    }

    static ApiProblem notFound(long id) {
        return ApiProblem.notFound("Lead " + id + " does not exist");
    }

    private OffsetDateTime now() {
        return OffsetDateTime.now(clock).truncatedTo(ChronoUnit.MICROS);
    }

    private static Lead map(ResultSet rs, int row) throws SQLException {
        return new Lead(
                rs.getLong("id"),
                rs.getString("name"),
                rs.getString("contact_email"),
                rs.getString("status"),
                rs.getBigDecimal("expected_revenue"),
                rs.getString("currency"),
                rs.getString("source"),
                rs.getLong("assigned_to"),
                rs.getString("lost_reason"),
                rs.getObject("customer_id", Long.class),
                rs.getObject("created_at", OffsetDateTime.class),
                rs.getObject("updated_at", OffsetDateTime.class),
                rs.getLong("version"));
    }
}

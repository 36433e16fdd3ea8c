package com.relaycrm.sales.customers;

import com.relaycrm.platform.ApiProblem;
import com.relaycrm.platform.SearchTerms;
import com.relaycrm.sales.CustomerCreated;
import com.relaycrm.sales.employees.Employees;
import com.relaycrm.sales.shared.Etags;
import com.relaycrm.sales.shared.SalesSearch;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
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

/**
 * Customers, unique by normalised e-mail among the non-deleted ones. The uniqueness and the one-customer-per-lead
 * rule are PostgreSQL indexes; this class turns their conflicts into 409s naming the existing customer.
 */
@Service
public class Customers {

    private static final String COLUMNS = """
            id, name, contact_email, phone_number, address, signed_date, account_manager_id, lead_id, created_at,
            updated_at, version""";

    private final JdbcClient jdbc;
    private final Employees employees;
    private final Clock clock;
    private final ApplicationEventPublisher events;

    Customers(JdbcClient jdbc, Employees employees, Clock clock, ApplicationEventPublisher events) {
        this.events = events;
        this.jdbc = jdbc;
        this.employees = employees;
        this.clock = clock;
    }

    /** Fields of a create or a partial update; {@code present} names the fields a PATCH sent. */
    record Changes(
            Set<String> present,
            @Nullable String name,
            @Nullable String contactEmail,
            @Nullable String phoneNumber,
            @Nullable String address,
            @Nullable LocalDate signedDate,
            @Nullable Long accountManagerId,
            @Nullable Long leadId) {

        boolean has(String field) {
            return present.contains(field);
        }
    }

    record Page(List<Customer> items, long total) {}

    /** The live customer holding this normalised e-mail, locked for the caller's transaction. */
    public Optional<Customer> lockByEmail(String email) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM sales_customer WHERE email_key = lower(:email)"
                        + " AND deleted_at IS NULL FOR UPDATE")
                .param("email", email)
                .query(Customers::map)
                .optional();
    }

    /** The customer (deleted or not) created from this lead, locked for the caller's transaction. */
    public Optional<Customer> lockByLead(long leadId) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM sales_customer WHERE lead_id = :lead FOR UPDATE")
                .param("lead", leadId)
                .query(Customers::map)
                .optional();
    }

    /**
     * Inserts the customer of a converted lead, or returns empty when a live customer already holds the e-mail
     * (or one already holds the lead): the caller then links or refuses. Never throws on those conflicts, so the
     * caller's transaction stays usable.
     */
    public Optional<Long> insertForLead(
            String name, String email, long accountManagerId, LocalDate signedDate, long leadId) {
        OffsetDateTime now = now();
        return jdbc.sql("""
                INSERT INTO sales_customer (name, contact_email, signed_date, account_manager_id, lead_id, created_at,
                                            updated_at)
                VALUES (:name, :email, :signed, :manager, :lead, :now, :now)
                ON CONFLICT DO NOTHING RETURNING id""")
                .param("name", name)
                .param("email", email)
                .param("signed", signedDate)
                .param("manager", accountManagerId)
                .param("lead", leadId)
                .param("now", now)
                .query(Long.class)
                .optional()
                .map(id -> {
                    published(id);
                    return id;
                });
    }

    private Customer published(long id) {
        Customer customer = find(id).orElseThrow();
        events.publishEvent(new CustomerCreated(id, customer));
        return customer;
    }

    public void linkLead(long customerId, long leadId) {
        jdbc.sql("UPDATE sales_customer SET lead_id = :lead, updated_at = :now, version = version + 1 WHERE id = :id")
                .param("lead", leadId)
                .param("now", now())
                .param("id", customerId)
                .update();
    }

    @Transactional
    Customer create(Changes input) {
        // The controller validated the required fields of a create, so they are present here.
        String contactEmail = Objects.requireNonNull(input.contactEmail(), "contact_email");
        requireActiveManager(Objects.requireNonNull(input.accountManagerId(), "account_manager_id"));
        if (input.leadId() != null) {
            requireFreeLead(input.leadId(), null);
        }
        LocalDate signed =
                input.signedDate() != null ? input.signedDate() : LocalDate.now(clock.withZone(ZoneOffset.UTC));
        OffsetDateTime now = now();
        Optional<Long> id = jdbc.sql("""
                INSERT INTO sales_customer (name, contact_email, phone_number, address, signed_date, account_manager_id,
                                            lead_id, created_at, updated_at)
                VALUES (:name, :email, :phone, :address, :signed, :manager, :lead, :now, :now)
                ON CONFLICT DO NOTHING RETURNING id""")
                .param("name", input.name())
                .param("email", input.contactEmail())
                .param("phone", input.phoneNumber())
                .param("address", input.address())
                .param("signed", signed)
                .param("manager", input.accountManagerId())
                .param("lead", input.leadId())
                .param("now", now)
                .query(Long.class)
                .optional();
        if (id.isEmpty()) {
            // a concurrent request won the e-mail or the lead; it has committed by now (ON CONFLICT waited for it)
            Optional<Long> sameEmail = liveIdByEmail(contactEmail, null);
            if (sameEmail.isPresent()) {
                throw duplicateEmail(sameEmail.get());
            }
            if (input.leadId() != null) {
                requireFreeLead(input.leadId(), null);
            }
            throw ApiProblem.conflict("The customer conflicts with a concurrent change; retry the request");
        }
        return published(id.get());
    }

    public Optional<Customer> find(long id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM sales_customer WHERE id = :id AND deleted_at IS NULL")
                .param("id", id)
                .query(Customers::map)
                .optional();
    }

    Page list(@Nullable Long accountManagerId, @Nullable String email, @Nullable SearchTerms q, int skip, int limit) {
        Map<String, Object> params = new LinkedHashMap<>();
        String where = where(accountManagerId, email, q, params);
        long total = jdbc.sql("SELECT count(*) FROM sales_customer" + where)
                .params(params)
                .query(Long.class)
                .single();
        List<Customer> items = jdbc.sql(
                        "SELECT " + COLUMNS + " FROM sales_customer" + where + " ORDER BY id LIMIT :limit OFFSET :skip")
                .params(params)
                .param("limit", limit)
                .param("skip", skip)
                .query(Customers::map)
                .list();
        return new Page(items, total);
    }

    /** Every customer the list filters select, by id, read through a cursor (an export). */
    public void forEach(
            @Nullable Long accountManagerId,
            @Nullable String email,
            @Nullable SearchTerms q,
            java.util.function.Consumer<? super Customer> each) {
        Map<String, Object> params = new LinkedHashMap<>();
        String where = where(accountManagerId, email, q, params);
        jdbc.sql("SELECT " + COLUMNS + " FROM sales_customer" + where + " ORDER BY id")
                .params(params)
                .withFetchSize(com.relaycrm.platform.Exports.FETCH_SIZE)
                .query(rs -> {
                    each.accept(map(rs, 0));
                });
    }

    private static String where(
            @Nullable Long accountManagerId,
            @Nullable String email,
            @Nullable SearchTerms q,
            Map<String, Object> params) {
        StringBuilder where = new StringBuilder(" WHERE deleted_at IS NULL");
        if (accountManagerId != null) {
            where.append(" AND account_manager_id = :manager");
            params.put("manager", accountManagerId);
        }
        if (email != null) {
            where.append(" AND email_key = lower(:email)");
            params.put("email", email);
        }
        if (q != null) {
            where.append(" AND ").append(SalesSearch.listCondition("", q, params));
        }
        return where.toString();
    }

    @Transactional
    Customer update(long id, Changes changes, @Nullable String ifMatch) {
        Customer current = lockLive(id);
        Etags.requireMatch(ifMatch, current.version());
        Long manager = changes.has("account_manager_id") ? changes.accountManagerId() : null;
        if (manager != null && manager != current.accountManagerId()) {
            requireActiveManager(manager);
        }
        Long leadId = current.leadId();
        if (changes.has("lead_id") && !Objects.equals(changes.leadId(), current.leadId())) {
            if (current.leadId() != null) {
                throw ApiProblem.invalid("lead_id", "cannot change once set (it is " + current.leadId() + ")");
            }
            leadId = changes.leadId();
            if (leadId != null) {
                requireFreeLead(leadId, id);
            }
        }
        String email = changes.has("contact_email") && changes.contactEmail() != null
                ? changes.contactEmail()
                : current.contactEmail();
        liveIdByEmail(email, id).ifPresent(existing -> {
            throw duplicateEmail(existing);
        });
        try {
            jdbc.sql("""
                    UPDATE sales_customer SET name = :name, contact_email = :email, phone_number = :phone,
                           address = :address, signed_date = :signed, account_manager_id = :manager, lead_id = :lead,
                           updated_at = :now, version = version + 1
                    WHERE id = :id""")
                    .param("name", changes.has("name") ? changes.name() : current.name())
                    .param("email", email)
                    .param("phone", changes.has("phone_number") ? changes.phoneNumber() : current.phoneNumber())
                    .param("address", changes.has("address") ? changes.address() : current.address())
                    .param("signed", changes.has("signed_date") ? changes.signedDate() : current.signedDate())
                    .param("manager", manager != null ? manager : current.accountManagerId())
                    .param("lead", leadId)
                    .param("now", now())
                    .param("id", id)
                    .update();
        } catch (DuplicateKeyException e) {
            throw ApiProblem.conflict("Another customer took this e-mail or lead at the same time; retry the request");
        }
        return find(id).orElseThrow();
    }

    @Transactional
    void delete(long id) {
        lockLive(id);
        jdbc.sql("UPDATE sales_customer SET deleted_at = :now, updated_at = :now, version = version + 1 WHERE id = :id")
                .param("now", now())
                .param("id", id)
                .update();
    }

    /** Brings a soft-deleted customer back; restoring a live one is a no-op. */
    @Transactional
    Customer restore(long id) {
        record Row(String email, boolean deleted) {}
        Row row = jdbc.sql("SELECT contact_email, deleted_at IS NOT NULL AS deleted FROM sales_customer"
                        + " WHERE id = :id FOR UPDATE")
                .param("id", id)
                .query((rs, n) -> new Row(rs.getString(1), rs.getBoolean(2)))
                .optional()
                .orElseThrow(() -> notFound(id));
        if (row.deleted()) {
            liveIdByEmail(row.email(), id).ifPresent(existing -> {
                throw duplicateEmail(existing);
            });
            try {
                jdbc.sql("""
                        UPDATE sales_customer SET deleted_at = NULL, updated_at = :now, version = version + 1
                        WHERE id = :id""").param("now", now()).param("id", id).update();
            } catch (DuplicateKeyException e) {
                throw ApiProblem.conflict("Another customer took this e-mail at the same time; retry the request");
            }
        }
        return find(id).orElseThrow();
    }

    private Customer lockLive(long id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM sales_customer WHERE id = :id AND deleted_at IS NULL FOR UPDATE")
                .param("id", id)
                .query(Customers::map)
                .optional()
                .orElseThrow(() -> notFound(id));
    }

    private void requireActiveManager(long employeeId) {
        if (!employees.isActive(employeeId)) {
            throw ApiProblem.invalid("account_manager_id", "must be an existing, active employee");
        }
    }

    /** The lead must exist (not deleted) and have no customer other than {@code self}. */
    private void requireFreeLead(long leadId, @Nullable Long self) {
        boolean exists = jdbc.sql("SELECT count(*) FROM (SELECT 1 FROM sales_lead WHERE id = :id AND deleted_at IS NULL"
                                + " FOR SHARE) l")
                        .param("id", leadId)
                        .query(Long.class)
                        .single()
                > 0;
        if (!exists) {
            throw ApiProblem.invalid("lead_id", "must be an existing lead");
        }
        jdbc.sql("SELECT id FROM sales_customer WHERE lead_id = :lead")
                .param("lead", leadId)
                .query(Long.class)
                .optional()
                .filter(owner -> !owner.equals(self))
                .ifPresent(owner -> {
                    throw ApiProblem.conflict("Lead " + leadId + " already belongs to customer " + owner)
                            .with("existing_id", owner);
                });
    }

    private Optional<Long> liveIdByEmail(String email, @Nullable Long except) {
        return jdbc.sql("SELECT id FROM sales_customer WHERE email_key = lower(:email) AND deleted_at IS NULL"
                        + " AND id <> :except")
                .param("email", email)
                .param("except", except == null ? Long.valueOf(0) : except)
                .query(Long.class)
                .optional();
    }

    private static ApiProblem duplicateEmail(long existing) {
        return ApiProblem.conflict("A customer with this e-mail already exists (customer " + existing + ")")
                .with("existing_id", existing);
    }

    static ApiProblem notFound(long id) {
        return ApiProblem.notFound("Customer " + id + " does not exist");
    }

    private OffsetDateTime now() {
        return OffsetDateTime.now(clock).truncatedTo(ChronoUnit.MICROS);
    }

    static Customer map(ResultSet rs, int row) throws SQLException {
        return new Customer(
                rs.getLong("id"),
                rs.getString("name"),
                rs.getString("contact_email"),
                rs.getString("phone_number"),
                rs.getString("address"),
                rs.getObject("signed_date", LocalDate.class),
                rs.getLong("account_manager_id"),
                rs.getObject("lead_id", Long.class),
                rs.getObject("created_at", OffsetDateTime.class),
                rs.getObject("updated_at", OffsetDateTime.class),
                rs.getLong("version"));
    }
}

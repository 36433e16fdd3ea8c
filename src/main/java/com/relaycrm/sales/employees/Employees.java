package com.relaycrm.sales.employees;

import com.relaycrm.platform.ApiProblem;
import com.relaycrm.platform.SearchTerms;
import com.relaycrm.sales.EmployeeCreated;
import com.relaycrm.sales.shared.SalesSearch;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** The people leads and customers are assigned to. */
@Service
public class Employees {

    private static final String COLUMNS = "id, name, email, role, active, created_at, updated_at";

    private final JdbcClient jdbc;
    private final Clock clock;
    private final ApplicationEventPublisher events;

    Employees(JdbcClient jdbc, Clock clock, ApplicationEventPublisher events) {
        this.events = events;
        this.jdbc = jdbc;
        this.clock = clock;
    }

    record Changes(
            @Nullable String name,
            @Nullable String email,
            @Nullable String role,
            @Nullable Boolean active) {}

    record Page(List<Employee> items, long total) {}

    /**
     * True when the employee exists and is active. The row is share-locked until the caller's transaction ends, so
     * a concurrent deactivation cannot slip between this check and the assignment.
     */
    public boolean isActive(long id) {
        return jdbc.sql("SELECT active FROM sales_employee WHERE id = :id FOR SHARE")
                .param("id", id)
                .query(Boolean.class)
                .optional()
                .orElse(false);
    }

    @Transactional
    Employee create(Changes input) {
        OffsetDateTime now = now();
        // The controller validated the required fields of a create, so the e-mail is present here.
        String email = java.util.Objects.requireNonNull(input.email(), "email");
        // ON CONFLICT keeps the transaction usable, so the 409 can name the employee holding the e-mail
        Long id = jdbc.sql("""
                INSERT INTO sales_employee (name, email, role, active, created_at, updated_at)
                VALUES (:name, :email, :role, :active, :now, :now) ON CONFLICT DO NOTHING RETURNING id""")
                .param("name", input.name())
                .param("email", email)
                .param("role", input.role())
                .param("active", input.active() == null || input.active())
                .param("now", now)
                .query(Long.class)
                .optional()
                .orElseThrow(() -> duplicateEmail(email));
        Employee created = find(id).orElseThrow();
        events.publishEvent(new EmployeeCreated(id, created));
        return created;
    }

    Optional<Employee> find(long id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM sales_employee WHERE id = :id")
                .param("id", id)
                .query(Employees::map)
                .optional();
    }

    Page list(@Nullable String role, @Nullable Boolean active, @Nullable SearchTerms q, int skip, int limit) {
        StringBuilder where = new StringBuilder(" WHERE TRUE");
        List<Object[]> params = new ArrayList<>();
        if (role != null) {
            where.append(" AND role = :role");
            params.add(new Object[] {"role", role});
        }
        if (active != null) {
            where.append(" AND active = :active");
            params.add(new Object[] {"active", active});
        }
        if (q != null) {
            Map<String, Object> search = new LinkedHashMap<>();
            where.append(" AND ").append(SalesSearch.listCondition("", q, search));
            search.forEach((name, value) -> params.add(new Object[] {name, value}));
        }
        var count = jdbc.sql("SELECT count(*) FROM sales_employee" + where);
        var page = jdbc.sql(
                        "SELECT " + COLUMNS + " FROM sales_employee" + where + " ORDER BY id LIMIT :limit OFFSET :skip")
                .param("limit", limit)
                .param("skip", skip);
        for (Object[] p : params) {
            count = count.param((String) p[0], p[1]);
            page = page.param((String) p[0], p[1]);
        }
        return new Page(
                page.query(Employees::map).list(), count.query(Long.class).single());
    }

    /** Every employee the list filters select, by id, read through a cursor (an export). */
    void forEach(
            @Nullable String role,
            @Nullable Boolean active,
            @Nullable SearchTerms q,
            java.util.function.Consumer<? super Employee> each) {
        StringBuilder where = new StringBuilder(" WHERE TRUE");
        Map<String, Object> params = new LinkedHashMap<>();
        if (role != null) {
            where.append(" AND role = :role");
            params.put("role", role);
        }
        if (active != null) {
            where.append(" AND active = :active");
            params.put("active", active);
        }
        if (q != null) {
            where.append(" AND ").append(SalesSearch.listCondition("", q, params));
        }
        jdbc.sql("SELECT " + COLUMNS + " FROM sales_employee" + where + " ORDER BY id")
                .params(params)
                .withFetchSize(com.relaycrm.platform.Exports.FETCH_SIZE)
                .query(rs -> {
                    each.accept(map(rs, 0));
                });
    }

    @Transactional
    Employee update(long id, Changes changes) {
        Employee current = jdbc.sql("SELECT " + COLUMNS + " FROM sales_employee WHERE id = :id FOR UPDATE")
                .param("id", id)
                .query(Employees::map)
                .optional()
                .orElseThrow(() -> notFound(id));
        String email = changes.email();
        if (email != null) {
            jdbc.sql("SELECT id FROM sales_employee WHERE lower(email) = lower(:email) AND id <> :id")
                    .param("email", email)
                    .param("id", id)
                    .query(Long.class)
                    .optional()
                    .ifPresent(existing -> {
                        throw duplicateEmail(email);
                    });
        }
        try {
            jdbc.sql("""
                    UPDATE sales_employee SET name = :name, email = :email, role = :role, active = :active,
                           updated_at = :now WHERE id = :id""")
                    .param("name", changes.name() != null ? changes.name() : current.name())
                    .param("email", changes.email() != null ? changes.email() : current.email())
                    .param("role", changes.role() != null ? changes.role() : current.role())
                    .param("active", changes.active() != null ? changes.active() : current.active())
                    .param("now", now())
                    .param("id", id)
                    .update();
        } catch (DuplicateKeyException e) {
            throw ApiProblem.conflict("Another employee took this e-mail at the same time; retry the request");
        }
        return find(id).orElseThrow();
    }

    /** Hard delete; the foreign keys from leads and customers refuse it while the employee is referenced. */
    @Transactional
    void delete(long id) {
        try {
            if (jdbc.sql("DELETE FROM sales_employee WHERE id = :id")
                            .param("id", id)
                            .update()
                    == 0) {
                throw notFound(id);
            }
        } catch (DataIntegrityViolationException e) {
            throw ApiProblem.conflict("Employee " + id + " is assigned to leads or customers; deactivate it instead "
                    + "(PATCH {\"active\": false})");
        }
    }

    private ApiProblem duplicateEmail(String email) {
        Long existing = jdbc.sql("SELECT id FROM sales_employee WHERE lower(email) = lower(:email)")
                .param("email", email)
                .query(Long.class)
                .optional()
                .orElse(null);
        ApiProblem problem = ApiProblem.conflict("An employee with this e-mail already exists");
        return existing == null ? problem : problem.with("existing_id", existing);
    }

    static ApiProblem notFound(long id) {
        return ApiProblem.notFound("Employee " + id + " does not exist");
    }

    private OffsetDateTime now() {
        return OffsetDateTime.now(clock).truncatedTo(ChronoUnit.MICROS);
    }

    private static Employee map(ResultSet rs, int row) throws SQLException {
        return new Employee(
                rs.getLong("id"),
                rs.getString("name"),
                rs.getString("email"),
                rs.getString("role"),
                rs.getBoolean("active"),
                rs.getObject("created_at", OffsetDateTime.class),
                rs.getObject("updated_at", OffsetDateTime.class));
    }
}

package com.relaycrm.sales.leads;

import com.relaycrm.sales.LeadsApi;
import com.relaycrm.sales.LeadsApi.Amount;
import com.relaycrm.sales.LeadsApi.CustomerView;
import com.relaycrm.sales.LeadsApi.EmployeeView;
import com.relaycrm.sales.LeadsApi.LeadFilter;
import com.relaycrm.sales.LeadsApi.LeadView;
import com.relaycrm.sales.LeadsApi.PageOf;
import com.relaycrm.sales.LeadsApi.StatusColumn;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Read models behind {@link LeadsApi}'s console queries. Counts and sums come from one grouped query and each
 * column's newest leads from one LATERAL query, so a board over tens of thousands of leads never loads them all.
 */
@Component
class LeadBoard {

    private static final String VIEW_COLUMNS = """
            l.id, l.name, l.contact_email, l.status, l.expected_revenue, l.currency, l.source, l.assigned_to,
            e.name AS assigned_to_name, l.lost_reason,
            (SELECT c.id FROM sales_customer c WHERE c.lead_id = l.id) AS customer_id, l.created_at, l.updated_at""";

    private final JdbcClient jdbc;

    LeadBoard(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    List<StatusColumn> pipeline(LeadFilter filter, int leadsPerColumn) {
        Map<String, Object> params = new LinkedHashMap<>();
        String where = where(filter, params);
        Map<String, Long> counts = new LinkedHashMap<>();
        Map<String, List<Amount>> sums = new LinkedHashMap<>();
        jdbc.sql("SELECT l.status, l.currency, count(*), sum(l.expected_revenue) FROM sales_lead l" + where
                        + " GROUP BY l.status, l.currency ORDER BY l.status, l.currency")
                .params(params)
                .query(rs -> {
                    String status = rs.getString(1);
                    counts.merge(status, rs.getLong(3), Long::sum);
                    BigDecimal total = rs.getBigDecimal(4);
                    sums.computeIfAbsent(status, s -> new ArrayList<>())
                            .add(new Amount(rs.getString(2).strip(), total == null ? BigDecimal.ZERO : total));
                });
        Map<String, List<LeadView>> newest = new LinkedHashMap<>();
        jdbc.sql("SELECT x.* FROM unnest(CAST(:statuses AS text[])) AS s(status) CROSS JOIN LATERAL ("
                        + " SELECT " + VIEW_COLUMNS + " FROM sales_lead l JOIN sales_employee e ON e.id = l.assigned_to"
                        + where + " AND l.status = s.status ORDER BY l.id DESC LIMIT :perColumn) x")
                .params(params)
                .param("statuses", LeadStatus.ALL.toArray(String[]::new))
                .param("perColumn", leadsPerColumn)
                .query(LeadBoard::view)
                .list()
                .forEach(lead -> newest.computeIfAbsent(lead.status(), s -> new ArrayList<>())
                        .add(lead));
        return LeadStatus.ALL.stream()
                .map(status -> new StatusColumn(
                        status,
                        counts.getOrDefault(status, 0L),
                        sums.getOrDefault(status, List.of()),
                        newest.getOrDefault(status, List.of())))
                .toList();
    }

    Optional<LeadView> lead(long id) {
        return jdbc.sql("SELECT " + VIEW_COLUMNS
                        + " FROM sales_lead l JOIN sales_employee e ON e.id = l.assigned_to"
                        + " WHERE l.id = :id AND l.deleted_at IS NULL")
                .param("id", id)
                .query(LeadBoard::view)
                .optional();
    }

    PageOf<CustomerView> customers(String q, int skip, int limit) {
        String where = " WHERE c.deleted_at IS NULL";
        Map<String, Object> params = new LinkedHashMap<>();
        if (q != null && !q.isBlank()) {
            where += " AND (c.name ILIKE :q OR c.contact_email ILIKE :q)";
            params.put("q", contains(q));
        }
        long total = jdbc.sql("SELECT count(*) FROM sales_customer c" + where)
                .params(params)
                .query(Long.class)
                .single();
        List<CustomerView> items = jdbc.sql(customerSelect() + where + " ORDER BY c.id DESC LIMIT :limit OFFSET :skip")
                .params(params)
                .param("limit", limit)
                .param("skip", skip)
                .query(LeadBoard::customer)
                .list();
        return new PageOf<>(items, total);
    }

    Optional<CustomerView> customer(long id) {
        return jdbc.sql(customerSelect() + " WHERE c.id = :id AND c.deleted_at IS NULL")
                .param("id", id)
                .query(LeadBoard::customer)
                .optional();
    }

    PageOf<EmployeeView> employees(int skip, int limit) {
        long total = jdbc.sql("SELECT count(*) FROM sales_employee")
                .query(Long.class)
                .single();
        List<EmployeeView> items = jdbc.sql("SELECT id, name, email, role, active FROM sales_employee"
                        + " ORDER BY lower(name), id LIMIT :limit OFFSET :skip")
                .param("limit", limit)
                .param("skip", skip)
                .query((rs, n) -> new EmployeeView(
                        rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getBoolean(5)))
                .list();
        return new PageOf<>(items, total);
    }

    private static String where(LeadFilter filter, Map<String, Object> params) {
        StringBuilder where = new StringBuilder(" WHERE l.deleted_at IS NULL");
        if (filter.assignedTo() != null) {
            where.append(" AND l.assigned_to = :assigned");
            params.put("assigned", filter.assignedTo());
        }
        if (filter.source() != null && !filter.source().isBlank()) {
            where.append(" AND l.source = :source");
            params.put("source", filter.source().strip());
        }
        if (filter.q() != null && !filter.q().isBlank()) {
            where.append(" AND (l.name ILIKE :q OR l.contact_email ILIKE :q)");
            params.put("q", contains(filter.q()));
        }
        if (filter.createdFrom() != null) {
            where.append(" AND l.created_at >= :from");
            params.put("from", startOf(filter.createdFrom()));
        }
        if (filter.createdTo() != null) {
            where.append(" AND l.created_at < :to");
            params.put("to", startOf(filter.createdTo().plusDays(1)));
        }
        return where.toString();
    }

    /** Dates are UTC days, as the API's created_from/created_to instants are. */
    private static OffsetDateTime startOf(LocalDate day) {
        return day.atStartOfDay().atOffset(ZoneOffset.UTC);
    }

    private static String contains(String text) {
        return "%" + text.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
    }

    private static String customerSelect() {
        return """
                SELECT c.id, c.name, c.contact_email, c.phone_number, c.address, c.signed_date, c.account_manager_id,
                       e.name AS manager_name, c.lead_id
                FROM sales_customer c JOIN sales_employee e ON e.id = c.account_manager_id""";
    }

    private static CustomerView customer(ResultSet rs, int row) throws SQLException {
        return new CustomerView(
                rs.getLong("id"),
                rs.getString("name"),
                rs.getString("contact_email"),
                rs.getString("phone_number"),
                rs.getString("address"),
                rs.getObject("signed_date", LocalDate.class),
                rs.getLong("account_manager_id"),
                rs.getString("manager_name"),
                rs.getObject("lead_id", Long.class));
    }

    private static LeadView view(ResultSet rs, int row) throws SQLException {
        return new LeadView(
                rs.getLong("id"),
                rs.getString("name"),
                rs.getString("contact_email"),
                rs.getString("status"),
                rs.getBigDecimal("expected_revenue"),
                rs.getString("currency").strip(),
                rs.getString("source"),
                rs.getLong("assigned_to"),
                rs.getString("assigned_to_name"),
                rs.getString("lost_reason"),
                rs.getObject("customer_id", Long.class),
                rs.getObject("created_at", OffsetDateTime.class),
                rs.getObject("updated_at", OffsetDateTime.class));
    }
}

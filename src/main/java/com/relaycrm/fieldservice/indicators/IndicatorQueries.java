package com.relaycrm.fieldservice.indicators;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Indicator queries read the summaries kept by the visit triggers (per month, per day, per polo and weekday), never
 * the visits, so their cost follows the number of groups, not of visits.
 */
@Repository
class IndicatorQueries {

    private final JdbcClient jdbc;

    IndicatorQueries(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    record Scope(
            @Nullable LocalDate start,
            @Nullable LocalDate end,
            @Nullable String angel,
            @Nullable String polo,
            @Nullable String uf) {}

    {
    }

    record Count(String name, long total, long onTime) {

        long late() {
            return total - onTime;
        }

        @Nullable
        BigDecimal sla() {
            return percentage(onTime, total);
        }
    }

    static @Nullable BigDecimal percentage(long part, long whole) {
        if (whole == 0) {
            return null;
        }
        return BigDecimal.valueOf(part)
                .multiply(BigDecimal.valueOf(100))
                .divide(BigDecimal.valueOf(whole), 2, RoundingMode.HALF_UP);
    }

    /**
     * Attended and on-time visits per angel ({@code byAngel}) or per polo. Whole months inside the range are read
     * from the monthly summary and only the partial months at its edges from the daily one, so a query reads at most
     * ~62 days of daily groups whatever the number of visits.
     */
    List<Count> counts(Scope scope, boolean byAngel) {
        Map<String, Object> params = new HashMap<>();
        LocalDate start = scope.start();
        LocalDate end = scope.end();
        // [firstMonth, endMonth) are the months wholly inside [start, end]; null means unbounded.
        LocalDate firstMonth = start == null || start.getDayOfMonth() == 1
                ? start
                : start.withDayOfMonth(1).plusMonths(1);
        LocalDate endMonth = end == null
                ? null
                : end.getDayOfMonth() == end.lengthOfMonth()
                        ? end.withDayOfMonth(1).plusMonths(1)
                        : end.withDayOfMonth(1);
        List<String> parts = new ArrayList<>();
        if (firstMonth == null || endMonth == null || firstMonth.isBefore(endMonth)) {
            List<String> where = new ArrayList<>(List.of("attended > 0"));
            if (firstMonth != null) {
                where.add("month >= :first_month");
                params.put("first_month", firstMonth);
            }
            if (endMonth != null) {
                where.add("month < :end_month");
                params.put("end_month", endMonth);
            }
            parts.add("SELECT angel_id, polo_id, attended, on_time FROM fieldservice_visit_month WHERE "
                    + String.join(" AND ", where));
            if (start != null && start.isBefore(firstMonth)) {
                parts.add("SELECT angel_id, polo_id, attended, on_time FROM fieldservice_visit_day"
                        + " WHERE attended > 0 AND day >= :start AND day < :first_month");
                params.put("start", start);
            }
            if (end != null && endMonth != null && !endMonth.isAfter(end)) {
                parts.add("SELECT angel_id, polo_id, attended, on_time FROM fieldservice_visit_day"
                        + " WHERE attended > 0 AND day >= :end_month AND day <= :end");
                params.put("end", end);
            }
        } else {
            parts.add("SELECT angel_id, polo_id, attended, on_time FROM fieldservice_visit_day"
                    + " WHERE attended > 0 AND day >= :start AND day <= :end");
            params.put("start", start);
            params.put("end", end);
        }
        List<String> filters = new ArrayList<>(List.of("true"));
        if (scope.angel() != null) {
            filters.add("a.name = :angel");
            params.put("angel", scope.angel());
        }
        if (scope.polo() != null) {
            filters.add("p.name = :polo");
            params.put("polo", scope.polo());
        }
        if (scope.uf() != null) {
            filters.add("p.uf = :uf");
            params.put("uf", scope.uf());
        }
        String group = byAngel ? "a.name" : "p.name";
        return jdbc.sql("SELECT " + group + " AS name, sum(s.attended) AS total, sum(s.on_time) AS on_time"
                        + " FROM (" + String.join(" UNION ALL ", parts) + ") s"
                        + " JOIN fieldservice_angel a ON a.id = s.angel_id"
                        + " JOIN fieldservice_polo p ON p.id = s.polo_id"
                        + " WHERE " + String.join(" AND ", filters)
                        + " GROUP BY " + group + " HAVING sum(s.attended) > 0")
                .params(params)
                .query((rs, n) -> new Count(rs.getString("name"), rs.getLong("total"), rs.getLong("on_time")))
                .list();
    }

    record WeekdayCount(String polo, DayOfWeek weekday, long total) {}

    List<WeekdayCount> poloWeekdays() {
        return jdbc.sql("""
                        SELECT p.name AS polo, w.weekday, w.attended AS total
                        FROM fieldservice_polo_weekday w JOIN fieldservice_polo p ON p.id = w.polo_id
                        WHERE w.attended > 0""")
                .query((rs, n) ->
                        new WeekdayCount(rs.getString("polo"), DayOfWeek.of(rs.getInt("weekday")), rs.getLong("total")))
                .list();
    }

    /** Monday to Friday in [start, end], minus the calendar's holidays that fall on those days. */
    long businessDays(LocalDate start, LocalDate end) {
        long days = ChronoUnit.DAYS.between(start, end) + 1;
        long weekdays = (days / 7) * 5;
        LocalDate day = start.plusDays((days / 7) * 7);
        for (; !day.isAfter(end); day = day.plusDays(1)) {
            if (day.getDayOfWeek().getValue() <= 5) {
                weekdays++;
            }
        }
        long holidays = jdbc.sql("""
                        SELECT count(*) FROM fieldservice_holiday
                        WHERE day BETWEEN ? AND ? AND extract(isodow FROM day) <= 5""").param(start).param(end).query(Long.class).single();
        return weekdays - holidays;
    }
}

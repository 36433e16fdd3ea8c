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
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Indicator queries read the per-day summary ({@code fieldservice_visit_day}), never the visits, so their cost
 * follows the number of (day, angel, polo) groups in range.
 */
@Repository
class IndicatorQueries {

    private final JdbcClient jdbc;

    IndicatorQueries(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    record Scope(LocalDate start, LocalDate end, String angel, String polo, String uf) {
    }

    record Count(String name, long total, long onTime) {

        long late() {
            return total - onTime;
        }

        BigDecimal sla() {
            return percentage(onTime, total);
        }
    }

    static BigDecimal percentage(long part, long whole) {
        if (whole == 0) {
            return null;
        }
        return BigDecimal.valueOf(part).multiply(BigDecimal.valueOf(100))
                .divide(BigDecimal.valueOf(whole), 2, RoundingMode.HALF_UP);
    }

    /** Attended and on-time visits per angel ({@code byAngel}) or per polo. */
    List<Count> counts(Scope scope, boolean byAngel) {
        Map<String, Object> params = new HashMap<>();
        String where = where(scope, params);
        String group = byAngel ? "a.name" : "p.name";
        return jdbc.sql("SELECT " + group + " AS name, sum(d.attended) AS total, sum(d.on_time) AS on_time"
                        + " FROM fieldservice_visit_day d"
                        + " JOIN fieldservice_angel a ON a.id = d.angel_id"
                        + " JOIN fieldservice_polo p ON p.id = d.polo_id"
                        + " WHERE " + where + " GROUP BY " + group + " HAVING sum(d.attended) > 0")
                .params(params)
                .query((rs, n) -> new Count(rs.getString("name"), rs.getLong("total"), rs.getLong("on_time")))
                .list();
    }

    record WeekdayCount(String polo, DayOfWeek weekday, long total) {
    }

    List<WeekdayCount> poloWeekdays() {
        return jdbc.sql("""
                        SELECT p.name AS polo, extract(isodow FROM d.day)::int AS weekday, sum(d.attended) AS total
                        FROM fieldservice_visit_day d JOIN fieldservice_polo p ON p.id = d.polo_id
                        WHERE d.attended > 0
                        GROUP BY p.name, extract(isodow FROM d.day)""")
                .query((rs, n) -> new WeekdayCount(rs.getString("polo"), DayOfWeek.of(rs.getInt("weekday")),
                        rs.getLong("total")))
                .list();
    }

    private static String where(Scope scope, Map<String, Object> params) {
        List<String> where = new ArrayList<>(List.of("d.attended > 0"));
        if (scope.start() != null) {
            where.add("d.day >= :start");
            params.put("start", scope.start());
        }
        if (scope.end() != null) {
            where.add("d.day <= :end");
            params.put("end", scope.end());
        }
        if (scope.angel() != null) {
            where.add("a.name = :angel");
            params.put("angel", scope.angel());
        }
        if (scope.polo() != null) {
            where.add("p.name = :polo");
            params.put("polo", scope.polo());
        }
        if (scope.uf() != null) {
            where.add("p.uf = :uf");
            params.put("uf", scope.uf());
        }
        return String.join(" AND ", where);
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
                        WHERE day BETWEEN ? AND ? AND extract(isodow FROM day) <= 5""")
                .param(start).param(end).query(Long.class).single();
        return weekdays - holidays;
    }
}

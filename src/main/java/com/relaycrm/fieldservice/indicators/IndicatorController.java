package com.relaycrm.fieldservice.indicators;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.relaycrm.fieldservice.domain.Names;
import com.relaycrm.fieldservice.domain.QueryParams;
import com.relaycrm.platform.ApiProblem;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.format.TextStyle;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Field service: indicators")
class IndicatorController {

    private static final List<String> SORTS = List.of("sla", "total", "name");
    private static final List<String> ORDERS = List.of("asc", "desc");

    private final IndicatorQueries queries;

    IndicatorController(IndicatorQueries queries) {
        this.queries = queries;
    }

    @JsonInclude(JsonInclude.Include.ALWAYS)
    record AngelSla(String angel, long total, long onTime, long late, BigDecimal sla) {}

    @JsonInclude(JsonInclude.Include.ALWAYS)
    record PoloSla(String polo, long total, long onTime, long late, BigDecimal sla) {}

    @JsonInclude(JsonInclude.Include.ALWAYS)
    record Report<T>(LocalDate startDate, LocalDate endDate, long total, List<T> data) {}

    @JsonInclude(JsonInclude.Include.ALWAYS)
    record AngelProductivity(String angel, long total, BigDecimal productivity) {}

    @JsonInclude(JsonInclude.Include.ALWAYS)
    record ProductivityReport(
            LocalDate startDate, LocalDate endDate, long businessDays, long total, List<AngelProductivity> data) {}

    @GetMapping("/api/v1/indicators/sla/angel")
    @Operation(summary = "SLA per angel: on-time / attended visits (visit date <= deadline), x100, 2 decimals")
    Report<AngelSla> slaPerAngel(@RequestParam Map<String, String> query) {
        QueryParams params = new QueryParams(query);
        IndicatorQueries.Scope scope = scope(params, false);
        List<AngelSla> data = sorted(queries.counts(scope, true), params).stream()
                .map(c -> new AngelSla(c.name(), c.total(), c.onTime(), c.late(), c.sla()))
                .toList();
        return new Report<>(scope.start(), scope.end(), data.size(), data);
    }

    @GetMapping("/api/v1/indicators/sla/polo")
    @Operation(summary = "SLA per polo")
    Report<PoloSla> slaPerPolo(@RequestParam Map<String, String> query) {
        QueryParams params = new QueryParams(query);
        IndicatorQueries.Scope scope = scope(params, false);
        List<PoloSla> data = sorted(queries.counts(scope, false), params).stream()
                .map(c -> new PoloSla(c.name(), c.total(), c.onTime(), c.late(), c.sla()))
                .toList();
        return new Report<>(scope.start(), scope.end(), data.size(), data);
    }

    @GetMapping("/api/v1/indicators/productivity/angel")
    @Operation(summary = "Productivity per angel: attended visits in range / business days in range")
    ProductivityReport productivityPerAngel(@RequestParam Map<String, String> query) {
        QueryParams params = new QueryParams(query);
        IndicatorQueries.Scope scope = scope(params, true);
        long businessDays = queries.businessDays(scope.start(), scope.end());
        String sort = params.oneOf("sort", SORTS);
        List<IndicatorQueries.Count> counts = queries.counts(scope, true);
        Comparator<IndicatorQueries.Count> byName = Comparator.comparing(IndicatorQueries.Count::name);
        Comparator<IndicatorQueries.Count> comparator = switch (sort == null ? "name" : sort) {
            // With one divisor for everyone, ordering by productivity is ordering by total.
            case "sla", "total" ->
                Comparator.comparingLong(IndicatorQueries.Count::total).thenComparing(byName);
            default -> byName;
        };
        List<AngelProductivity> data = order(counts, comparator, params, sort).stream()
                .map(c -> new AngelProductivity(
                        c.name(),
                        c.total(),
                        businessDays <= 0
                                ? null
                                : BigDecimal.valueOf(c.total())
                                        .divide(BigDecimal.valueOf(businessDays), 2, RoundingMode.HALF_UP)))
                .toList();
        return new ProductivityReport(scope.start(), scope.end(), Math.max(businessDays, 0), data.size(), data);
    }

    private static IndicatorQueries.Scope scope(QueryParams params, boolean datesRequired) {
        LocalDate start = params.date("start_date");
        LocalDate end = params.date("end_date");
        if (datesRequired && start == null) {
            throw ApiProblem.badParameter("start_date", "is required");
        }
        if (datesRequired && end == null) {
            throw ApiProblem.badParameter("end_date", "is required");
        }
        if (start != null && end != null && start.isAfter(end)) {
            throw ApiProblem.badParameter("start_date", "must not be after end_date");
        }
        String angel = params.text("angel");
        String polo = params.text("polo");
        String uf = params.text("uf");
        return new IndicatorQueries.Scope(
                start,
                end,
                angel == null ? null : Names.normalize(angel),
                polo == null ? null : Names.normalize(polo),
                uf == null ? null : uf.toUpperCase(Locale.ROOT));
    }

    private static List<IndicatorQueries.Count> sorted(List<IndicatorQueries.Count> counts, QueryParams params) {
        String sort = params.oneOf("sort", SORTS);
        Comparator<IndicatorQueries.Count> byName = Comparator.comparing(IndicatorQueries.Count::name);
        Comparator<IndicatorQueries.Count> comparator = switch (sort == null ? "name" : sort) {
            case "sla" -> Comparator.comparing(IndicatorQueries.Count::sla).thenComparing(byName);
            case "total" ->
                Comparator.comparingLong(IndicatorQueries.Count::total).thenComparing(byName);
            default -> byName;
        };
        return order(counts, comparator, params, sort);
    }

    /** Names ascend by default, figures descend (best first); {@code order} overrides. */
    private static List<IndicatorQueries.Count> order(
            List<IndicatorQueries.Count> counts,
            Comparator<IndicatorQueries.Count> comparator,
            QueryParams params,
            String sort) {
        String order = params.oneOf("order", ORDERS);
        boolean descending = order == null ? sort != null && !sort.equals("name") : order.equals("desc");
        return counts.stream()
                .sorted(descending ? comparator.reversed() : comparator)
                .toList();
    }

    // The seed's two routes, kept with their shapes but computed with the decided rules.

    @JsonInclude(JsonInclude.Include.ALWAYS)
    record SeedAngel(String angel, long totalDeliveries, long onTimeDeliveries, BigDecimal onTimePercentage) {}

    @JsonInclude(JsonInclude.Include.ALWAYS)
    record SeedPolo(String polo, String weekday, long totalDeliveries) {}

    record SeedReport<T>(long total, List<T> data) {}

    @GetMapping("/api/v1/atendimento/angel_productivity")
    @Operation(summary = "Seed route: attended and on-time visits per angel, most attended first")
    SeedReport<SeedAngel> angelProductivity(@RequestParam Map<String, String> query) {
        int atMost = new QueryParams(query).intValue("at_most", 1, 100_000, 100);
        List<IndicatorQueries.Count> counts =
                queries.counts(new IndicatorQueries.Scope(null, null, null, null, null), true);
        List<SeedAngel> data = counts.stream()
                .sorted(Comparator.comparingLong(IndicatorQueries.Count::total)
                        .reversed()
                        .thenComparing(IndicatorQueries.Count::name))
                .limit(atMost)
                .map(c -> new SeedAngel(c.name(), c.total(), c.onTime(), c.sla()))
                .toList();
        return new SeedReport<>(counts.size(), data);
    }

    @GetMapping("/api/v1/atendimento/polo_productivity")
    @Operation(summary = "Seed route: attended visits per polo and weekday, busiest first")
    SeedReport<SeedPolo> poloProductivity(@RequestParam Map<String, String> query) {
        int atMost = new QueryParams(query).intValue("at_most", 1, 100_000, 100);
        List<IndicatorQueries.WeekdayCount> counts = queries.poloWeekdays();
        List<SeedPolo> data = counts.stream()
                .sorted(Comparator.comparingLong(IndicatorQueries.WeekdayCount::total)
                        .reversed()
                        .thenComparing(IndicatorQueries.WeekdayCount::polo)
                        .thenComparing(IndicatorQueries.WeekdayCount::weekday))
                .limit(atMost)
                .map(c -> new SeedPolo(c.polo(), c.weekday().getDisplayName(TextStyle.FULL, Locale.ENGLISH), c.total()))
                .toList();
        return new SeedReport<>(counts.size(), data);
    }
}

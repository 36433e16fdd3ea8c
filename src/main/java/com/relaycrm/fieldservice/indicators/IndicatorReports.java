package com.relaycrm.fieldservice.indicators;

import com.relaycrm.fieldservice.FieldServiceApi.Productivity;
import com.relaycrm.fieldservice.FieldServiceApi.ProductivityReport;
import com.relaycrm.fieldservice.FieldServiceApi.Sla;
import com.relaycrm.fieldservice.FieldServiceApi.SlaReport;
import com.relaycrm.fieldservice.domain.Names;
import com.relaycrm.fieldservice.domain.QueryParams;
import com.relaycrm.platform.ApiProblem;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;

/** The indicator reports with the API's filters and ordering, shared by the HTTP API and the module's facade. */
@Service
public class IndicatorReports {

    private static final List<String> SORTS = List.of("sla", "total", "name");
    private static final List<String> ORDERS = List.of("asc", "desc");

    private final IndicatorQueries queries;

    IndicatorReports(IndicatorQueries queries) {
        this.queries = queries;
    }

    public SlaReport sla(Map<String, String> query, boolean byAngel) {
        QueryParams params = new QueryParams(query);
        IndicatorQueries.Scope scope = scope(params, false);
        List<Sla> data = sorted(queries.counts(scope, byAngel), params).stream()
                .map(c -> new Sla(c.name(), c.total(), c.onTime(), c.late(), c.sla()))
                .toList();
        return new SlaReport(scope.start(), scope.end(), data);
    }

    public ProductivityReport productivity(Map<String, String> query) {
        QueryParams params = new QueryParams(query);
        IndicatorQueries.Scope scope = scope(params, true);
        LocalDate start = Objects.requireNonNull(scope.start(), "required by scope(params, true)");
        LocalDate end = Objects.requireNonNull(scope.end(), "required by scope(params, true)");
        long businessDays = queries.businessDays(start, end);
        String sort = params.oneOf("sort", SORTS);
        List<IndicatorQueries.Count> counts = queries.counts(scope, true);
        Comparator<IndicatorQueries.Count> byName = Comparator.comparing(IndicatorQueries.Count::name);
        Comparator<IndicatorQueries.Count> comparator = switch (sort == null ? "name" : sort) {
            // With one divisor for everyone, ordering by productivity is ordering by total.
            case "sla", "total" ->
                Comparator.comparingLong(IndicatorQueries.Count::total).thenComparing(byName);
            default -> byName;
        };
        List<Productivity> data = order(counts, comparator, params, sort).stream()
                .map(c -> new Productivity(
                        c.name(),
                        c.total(),
                        businessDays <= 0
                                ? null
                                : BigDecimal.valueOf(c.total())
                                        .divide(BigDecimal.valueOf(businessDays), 2, RoundingMode.HALF_UP)))
                .toList();
        return new ProductivityReport(start, end, Math.max(businessDays, 0), data);
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
            @Nullable String sort) {
        String order = params.oneOf("order", ORDERS);
        boolean descending = order == null ? sort != null && !sort.equals("name") : order.equals("desc");
        return counts.stream()
                .sorted(descending ? comparator.reversed() : comparator)
                .toList();
    }
}

package com.relaycrm.fieldservice.indicators;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.relaycrm.fieldservice.FieldServiceApi;
import com.relaycrm.fieldservice.FieldServiceApi.SlaReport;
import com.relaycrm.fieldservice.domain.QueryParams;
import com.relaycrm.platform.Exports;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.TextStyle;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Field service: indicators")
class IndicatorController {

    private final IndicatorQueries queries;
    private final IndicatorReports reports;
    private final Exports exports;

    IndicatorController(IndicatorQueries queries, IndicatorReports reports, Exports exports) {
        this.exports = exports;
        this.queries = queries;
        this.reports = reports;
    }

    /** The report's {@code data} rows are what an export holds; the range and totals stay in the JSON answer. */
    private static final String EXPORT_NOTE = " With Accept text/csv or application/x-ndjson (or format=csv or ndjson;"
            + " bom=true for Excel) the report's data rows stream as CSV or NDJSON.";

    @JsonInclude(JsonInclude.Include.ALWAYS)
    record AngelSla(
            String angel,
            long total,
            long onTime,
            long late,
            @Nullable BigDecimal sla) {}

    @JsonInclude(JsonInclude.Include.ALWAYS)
    record PoloSla(
            String polo,
            long total,
            long onTime,
            long late,
            @Nullable BigDecimal sla) {}

    @JsonInclude(JsonInclude.Include.ALWAYS)
    record Report<T>(
            @Nullable LocalDate startDate, @Nullable LocalDate endDate, long total, List<T> data) {}

    @JsonInclude(JsonInclude.Include.ALWAYS)
    record AngelProductivity(
            String angel, long total, @Nullable BigDecimal productivity) {}

    @JsonInclude(JsonInclude.Include.ALWAYS)
    record ProductivityReport(
            LocalDate startDate, LocalDate endDate, long businessDays, long total, List<AngelProductivity> data) {}

    @GetMapping("/api/v1/indicators/sla/angel")
    @Operation(
            summary = "SLA per angel: on-time / attended visits (visit date <= deadline), x100, 2 decimals."
                    + EXPORT_NOTE,
            responses =
                    @io.swagger.v3.oas.annotations.responses.ApiResponse(
                            responseCode = "200",
                            content = {
                                @io.swagger.v3.oas.annotations.media.Content(
                                        mediaType = "application/json",
                                        schema =
                                                @io.swagger.v3.oas.annotations.media.Schema(
                                                        implementation = Report.class)),
                                @io.swagger.v3.oas.annotations.media.Content(mediaType = "text/csv"),
                                @io.swagger.v3.oas.annotations.media.Content(mediaType = "application/x-ndjson")
                            }))
    Object slaPerAngel(@RequestParam Map<String, String> query, HttpServletRequest request) {
        SlaReport report = reports.sla(query, true);
        List<AngelSla> data = report.data().stream()
                .map(s -> new AngelSla(s.name(), s.total(), s.onTime(), s.late(), s.sla()))
                .toList();
        Exports.Format export = exports.requested(query, request);
        if (export != null) {
            return exports.<AngelSla>stream(
                    export,
                    "sla-per-angel",
                    List.of("angel", "total", "on_time", "late", "sla"),
                    query,
                    request,
                    data::forEach);
        }
        return ResponseEntity.ok(new Report<>(report.startDate(), report.endDate(), data.size(), data));
    }

    @GetMapping("/api/v1/indicators/sla/polo")
    @Operation(
            summary = "SLA per polo." + EXPORT_NOTE,
            responses =
                    @io.swagger.v3.oas.annotations.responses.ApiResponse(
                            responseCode = "200",
                            content = {
                                @io.swagger.v3.oas.annotations.media.Content(
                                        mediaType = "application/json",
                                        schema =
                                                @io.swagger.v3.oas.annotations.media.Schema(
                                                        implementation = Report.class)),
                                @io.swagger.v3.oas.annotations.media.Content(mediaType = "text/csv"),
                                @io.swagger.v3.oas.annotations.media.Content(mediaType = "application/x-ndjson")
                            }))
    Object slaPerPolo(@RequestParam Map<String, String> query, HttpServletRequest request) {
        SlaReport report = reports.sla(query, false);
        List<PoloSla> data = report.data().stream()
                .map(s -> new PoloSla(s.name(), s.total(), s.onTime(), s.late(), s.sla()))
                .toList();
        Exports.Format export = exports.requested(query, request);
        if (export != null) {
            return exports.<PoloSla>stream(
                    export,
                    "sla-per-polo",
                    List.of("polo", "total", "on_time", "late", "sla"),
                    query,
                    request,
                    data::forEach);
        }
        return ResponseEntity.ok(new Report<>(report.startDate(), report.endDate(), data.size(), data));
    }

    @GetMapping("/api/v1/indicators/productivity/angel")
    @Operation(
            summary = "Productivity per angel: attended visits in range / business days in range." + EXPORT_NOTE,
            responses =
                    @io.swagger.v3.oas.annotations.responses.ApiResponse(
                            responseCode = "200",
                            content = {
                                @io.swagger.v3.oas.annotations.media.Content(
                                        mediaType = "application/json",
                                        schema =
                                                @io.swagger.v3.oas.annotations.media.Schema(
                                                        implementation = ProductivityReport.class)),
                                @io.swagger.v3.oas.annotations.media.Content(mediaType = "text/csv"),
                                @io.swagger.v3.oas.annotations.media.Content(mediaType = "application/x-ndjson")
                            }))
    Object productivityPerAngel(@RequestParam Map<String, String> query, HttpServletRequest request) {
        FieldServiceApi.ProductivityReport report = reports.productivity(query);
        List<AngelProductivity> data = report.data().stream()
                .map(p -> new AngelProductivity(p.angel(), p.total(), p.productivity()))
                .toList();
        Exports.Format export = exports.requested(query, request);
        if (export != null) {
            return exports.<AngelProductivity>stream(
                    export,
                    "productivity-per-angel",
                    List.of("angel", "total", "productivity"),
                    query,
                    request,
                    data::forEach);
        }
        return ResponseEntity.ok(
                new ProductivityReport(report.startDate(), report.endDate(), report.businessDays(), data.size(), data));
    }

    // The seed's two routes, kept with their shapes but computed with the decided rules.

    @JsonInclude(JsonInclude.Include.ALWAYS)
    record SeedAngel(
            String angel,
            long totalDeliveries,
            long onTimeDeliveries,
            @Nullable BigDecimal onTimePercentage) {}

    @JsonInclude(JsonInclude.Include.ALWAYS)
    record SeedPolo(String polo, String weekday, long totalDeliveries) {}

    record SeedReport<T>(long total, List<T> data) {}

    @GetMapping("/api/v1/atendimento/angel_productivity")
    @Operation(summary = "Seed route: attended and on-time visits per angel, best on-time percentage first")
    SeedReport<SeedAngel> angelProductivity(@RequestParam Map<String, String> query) {
        int atMost = new QueryParams(query).intValue("at_most", 1, 100_000, 100);
        List<IndicatorQueries.Count> counts =
                queries.counts(new IndicatorQueries.Scope(null, null, null, null, null), true);
        List<SeedAngel> data = counts.stream()
                // the seed's view: on-time percentage descending, then name; angels without attended visits last
                .sorted(IndicatorController::bestOnTimeFirst)
                .limit(atMost)
                .map(c -> new SeedAngel(c.name(), c.total(), c.onTime(), c.sla()))
                .toList();
        return new SeedReport<>(counts.size(), data);
    }

    /** Exact on-time ratios compared (not the rounded percentages), so 2/3 ranks above 6,666/10,000. */
    static int bestOnTimeFirst(IndicatorQueries.Count a, IndicatorQueries.Count b) {
        if (a.total() == 0 || b.total() == 0) {
            int byPresence = Boolean.compare(a.total() == 0, b.total() == 0);
            if (byPresence != 0) {
                return byPresence;
            }
        } else {
            // counts stay far below 2^31, so the cross products fit in a long
            int byRatio = Long.compare(b.onTime() * a.total(), a.onTime() * b.total());
            if (byRatio != 0) {
                return byRatio;
            }
        }
        return a.name().compareTo(b.name());
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

package com.relaycrm.fieldservice;

import com.relaycrm.platform.SearchTerms;
import java.io.IOException;
import java.io.InputStream;
import java.io.Writer;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * What other modules may ask the field service. Queries take the HTTP API's query parameters by their API names
 * ({@code start_date}, {@code uf}, {@code order_by}, ...) and apply the API's rules; a bad value is the same
 * {@link com.relaycrm.platform.ApiProblem} the API answers.
 */
public interface FieldServiceApi {

    Optional<Visit> visit(long id);

    Optional<Visit> visitByExternalId(long idAtendimento);

    record Visit(
            long id,
            @Nullable Long idAtendimento,
            long idCliente,
            String angel,
            String polo,
            LocalDate dataLimite,
            @Nullable LocalDateTime dataDeAtendimento,
            String status) {}

    // ---- indicators: filters start_date, end_date, uf, polo, angel; sort=name|sla|total, order=asc|desc ----

    /** SLA per polo, as {@code GET /api/v1/indicators/sla/polo}. */
    SlaReport slaPerPolo(Map<String, String> query);

    /** SLA per angel, as {@code GET /api/v1/indicators/sla/angel}. */
    SlaReport slaPerAngel(Map<String, String> query);

    /** Productivity per angel, as {@code GET /api/v1/indicators/productivity/angel} (start and end required). */
    ProductivityReport productivityPerAngel(Map<String, String> query);

    /** One polo's or angel's attended and on-time visits; {@code sla} is null when nothing was attended. */
    record Sla(
            String name,
            long total,
            long onTime,
            long late,
            @Nullable BigDecimal sla) {}

    record SlaReport(
            @Nullable LocalDate startDate, @Nullable LocalDate endDate, List<Sla> data) {}

    /** {@code productivity} is null when the period has no business day. */
    record Productivity(String angel, long total, @Nullable BigDecimal productivity) {}

    record ProductivityReport(LocalDate startDate, LocalDate endDate, long businessDays, List<Productivity> data) {}

    // ---- visits ----

    /**
     * Live visits found by {@code q}: an atendimento or client id, or the name of the visit's angel or polo (a
     * fragment or a one-letter typo of it, accents ignored); the best {@code limit}, best first.
     */
    List<VisitHit> search(SearchTerms q, int limit);

    /** A visit found by {@link #search}; score in [0, 1]. */
    record VisitHit(
            long id,
            @Nullable Long idAtendimento,
            long idCliente,
            String angel,
            String polo,
            String status,
            LocalDate dataLimite,
            double score) {}

    /**
     * A page of live visits, as {@code GET /api/v1/atendimento}: filters id_atendimento, id_cliente, angel, polo,
     * uf, status, on_time, data_limite_from/to, data_de_atendimento_from/to; order_by; page, per_page.
     */
    VisitPage visits(Map<String, String> query);

    /**
     * As {@link #visits(Map)}, but the total is counted only up to {@code countAtMost} visits (at least far enough
     * to know whether a next page exists): counting a million matching visits costs more than reading a page.
     */
    VisitPage visits(Map<String, String> query, long countAtMost);

    /** {@code total} is exact unless {@code totalIsLowerBound}: then at least that many visits match. */
    record VisitPage(List<ListedVisit> data, long total, boolean totalIsLowerBound, int page, int perPage) {

        public boolean hasNext() {
            return (long) page * perPage < total;
        }

        public boolean hasPrevious() {
            return page > 1;
        }
    }

    /** A visit as the API lists it; {@code onTime} is null unless the visit is DONE. */
    record ListedVisit(
            long id,
            @Nullable Long idAtendimento,
            long idCliente,
            String angel,
            String polo,
            @Nullable String uf,
            String dataLimite,
            @Nullable String dataDeAtendimento,
            String status,
            @Nullable Boolean onTime) {}

    // ---- CSV import ----

    /**
     * Stores and checks an upload as {@code POST /api/v1/atendimento/import_csv} does, then schedules the import;
     * a refused file throws the API's problem (400, 413). {@code delimiter} and {@code encoding} take the API's
     * values and may be null (detected / UTF-8).
     */
    UUID startImport(InputStream csv, ImportOptions options) throws IOException;

    record ImportOptions(
            boolean dryRun,
            @Nullable String delimiter,
            @Nullable String encoding,
            String username) {}

    /** An import's state and counts so far, as {@code GET .../task_status/{id}} without the error list. */
    Optional<ImportStatus> importStatus(UUID id);

    record ImportStatus(
            UUID id,
            String state,
            boolean dryRun,
            long processedRows,
            long totalBytes,
            long processedBytes,
            long totalRows,
            long inserted,
            long updated,
            long unchanged,
            long rejected,
            @Nullable String failure) {

        public boolean finished() {
            return state.equals("SUCCESS") || state.equals("FAILURE");
        }

        /** Whole percent of the file read; 100 once the import succeeded. */
        public int percent() {
            if (state.equals("SUCCESS")) {
                return 100;
            }
            if (totalBytes <= 0) {
                return 0;
            }
            return (int) Math.min(99, processedBytes * 100 / totalBytes);
        }
    }

    /** The first {@code limit} rejected lines of an import, by line number. */
    List<RejectedLine> rejectedLines(UUID id, int limit);

    record RejectedLine(
            long line, @Nullable String column, @Nullable String value, String code, String message) {}

    /**
     * Writes every rejected line as the API's {@code errors.csv} ({@code line,column,value,code,message,raw});
     * false (nothing written) when there is no such import.
     */
    boolean writeRejectedLines(UUID id, Writer out) throws IOException;
}

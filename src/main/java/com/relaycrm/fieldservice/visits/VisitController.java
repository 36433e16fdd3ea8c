package com.relaycrm.fieldservice.visits;

import com.relaycrm.platform.ApiProblem;
import com.relaycrm.platform.Exports;
import com.relaycrm.platform.RelayProperties;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;
import org.springframework.web.util.UriComponentsBuilder;
import tools.jackson.databind.JsonNode;

@RestController
@RequestMapping("/api/v1/atendimento")
@Tag(name = "Field service: visits (atendimentos)")
class VisitController {

    private static final List<String> COLUMNS = List.of(
            "id",
            "id_atendimento",
            "cliente_id",
            "id_cliente",
            "angel",
            "polo",
            "uf",
            "data_limite",
            "data_de_atendimento",
            "status",
            "on_time",
            "created_at",
            "updated_at");

    private final Visits visits;
    private final VisitSearch search;
    private final RelayProperties relay;
    private final Exports exports;

    VisitController(Visits visits, VisitSearch search, RelayProperties relay, Exports exports) {
        this.exports = exports;
        this.visits = visits;
        this.search = search;
        this.relay = relay;
    }

    /**
     * {@code total} is exact up to {@link #EXACT_TOTAL_UP_TO} matching visits; past that it is that bound and
     * {@code total_is_exact} is false, unless the caller asks for {@code exact_total=true} (a full count, which grows
     * with the table).
     */
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.ALWAYS)
    record Page(
            List<VisitView> data,
            @Nullable String next,
            @Nullable String prev,
            long total,
            boolean totalIsExact) {}

    /** As Elasticsearch's default: counting stops here, so a page costs the same at 1M and at 10M visits. */
    static final long EXACT_TOTAL_UP_TO = 10_000;

    @GetMapping
    @Operation(
            summary =
                    "List visits with filters (q: an atendimento or client id, or part of the angel's or polo's name),"
                            + " ordering and paging." + Exports.NOTE,
            description = "total is exact up to 10,000 matching visits; beyond, total_is_exact is false and total is "
                    + "10,000 (or the count reached to know whether a next page exists) unless exact_total=true.",
            responses =
                    @io.swagger.v3.oas.annotations.responses.ApiResponse(
                            responseCode = "200",
                            content = {
                                @io.swagger.v3.oas.annotations.media.Content(
                                        mediaType = "application/json",
                                        schema =
                                                @io.swagger.v3.oas.annotations.media.Schema(
                                                        implementation = Page.class)),
                                @io.swagger.v3.oas.annotations.media.Content(mediaType = "text/csv"),
                                @io.swagger.v3.oas.annotations.media.Content(mediaType = "application/x-ndjson")
                            }))
    Object list(@RequestParam Map<String, String> query, HttpServletRequest request) {
        Exports.Format export = exports.requested(query, request);
        if (export == Exports.Format.CSV) {
            VisitSearch.CsvExport csv = search.csvExport(query);
            return exports.copyCsv("atendimentos", COLUMNS, csv.sql(), csv.values(), query, request);
        }
        if (export != null) {
            search.select(query);
            return exports.<VisitView>stream(
                    export, "atendimentos", COLUMNS, query, request, each -> search.forEach(query, each));
        }
        Boolean exact = new com.relaycrm.fieldservice.domain.QueryParams(query).bool("exact_total");
        VisitSearch.Result result = search.search(query, Boolean.TRUE.equals(exact) ? 0 : EXACT_TOTAL_UP_TO);
        long offset = (long) (result.page() - 1) * result.perPage();
        String next = offset + result.perPage() < result.total() ? pageUrl(result.page() + 1) : null;
        String prev = result.page() > 1 ? pageUrl(result.page() - 1) : null;
        return ResponseEntity.ok(new Page(result.data(), next, prev, result.total(), !result.totalIsLowerBound()));
    }

    /** Relative, or under RELAY_PUBLIC_BASE_URL: never built from the request's Host or forwarded headers. */
    private String pageUrl(int page) {
        HttpServletRequest request =
                ((ServletRequestAttributes) RequestContextHolder.currentRequestAttributes()).getRequest();
        String query = request.getQueryString();
        return relay.link(UriComponentsBuilder.fromPath(request.getRequestURI())
                .query(query)
                .replaceQueryParam("page", page)
                .build()
                .toUriString());
    }

    @GetMapping("/{id}")
    @Operation(summary = "One visit")
    VisitView get(@PathVariable String id) {
        return visits.get(parseId(id));
    }

    @PostMapping
    @Operation(summary = "Record a visit; angel, polo and client are created on first use")
    ResponseEntity<VisitView> create(@RequestBody(required = false) JsonNode body) {
        VisitView created = visits.record(VisitInput.read(body, VisitInput.Mode.CREATE));
        return ResponseEntity.created(URI.create("/api/v1/atendimento/" + created.id()))
                .body(created);
    }

    @PutMapping("/{id}")
    @Operation(
            summary =
                    "Replace a visit's schedule (data_limite, data_de_atendimento, status); other fields are kept unless sent")
    VisitView replace(@PathVariable String id, @RequestBody(required = false) JsonNode body) {
        long visitId = parseId(id);
        return visits.change(visitId, VisitInput.read(body, VisitInput.Mode.REPLACE), true);
    }

    @PatchMapping("/{id}")
    @Operation(summary = "Change some fields of a visit")
    VisitView patch(@PathVariable String id, @RequestBody(required = false) JsonNode body) {
        long visitId = parseId(id);
        return visits.change(visitId, VisitInput.read(body, VisitInput.Mode.PATCH), false);
    }

    @DeleteMapping("/{id}")
    @Operation(summary = "Remove a visit (soft delete)")
    ResponseEntity<Void> delete(@PathVariable String id) {
        visits.remove(parseId(id));
        return ResponseEntity.noContent().build();
    }

    private static long parseId(String id) {
        try {
            long value = Long.parseLong(id);
            if (value > 0) {
                return value;
            }
        } catch (NumberFormatException ignored) {
            // answered below
        }
        throw ApiProblem.notFound("No visit (atendimento) with id " + id);
    }
}

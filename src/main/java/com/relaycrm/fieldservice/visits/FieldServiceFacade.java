package com.relaycrm.fieldservice.visits;

import com.relaycrm.fieldservice.FieldServiceApi;
import com.relaycrm.fieldservice.imports.ImportTasks;
import com.relaycrm.fieldservice.indicators.IndicatorReports;
import com.relaycrm.platform.SearchTerms;
import java.io.IOException;
import java.io.InputStream;
import java.io.Writer;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

@Service
class FieldServiceFacade implements FieldServiceApi {

    private final JdbcClient jdbc;
    private final VisitSearch search;
    private final IndicatorReports indicators;
    private final ImportTasks imports;

    private final VisitTextSearch textSearch;

    FieldServiceFacade(
            JdbcClient jdbc,
            VisitSearch search,
            IndicatorReports indicators,
            ImportTasks imports,
            VisitTextSearch textSearch) {
        this.jdbc = jdbc;
        this.textSearch = textSearch;
        this.search = search;
        this.indicators = indicators;
        this.imports = imports;
    }

    @Override
    public SlaReport slaPerPolo(Map<String, String> query) {
        return indicators.sla(query, false);
    }

    @Override
    public SlaReport slaPerAngel(Map<String, String> query) {
        return indicators.sla(query, true);
    }

    @Override
    public ProductivityReport productivityPerAngel(Map<String, String> query) {
        return indicators.productivity(query);
    }

    @Override
    public List<VisitHit> search(SearchTerms q, int limit) {
        return textSearch.search(q, limit);
    }

    @Override
    public VisitPage visits(Map<String, String> query) {
        return page(search.search(query));
    }

    @Override
    public VisitPage visits(Map<String, String> query, long countAtMost) {
        return page(search.search(query, countAtMost));
    }

    private static VisitPage page(VisitSearch.Result result) {
        List<ListedVisit> data = result.data().stream()
                .map(v -> new ListedVisit(
                        v.id(),
                        v.idAtendimento(),
                        v.idCliente(),
                        v.angel(),
                        v.polo(),
                        v.uf(),
                        v.dataLimite(),
                        v.dataDeAtendimento(),
                        v.status(),
                        v.onTime()))
                .toList();
        return new VisitPage(data, result.total(), result.totalIsLowerBound(), result.page(), result.perPage());
    }

    @Override
    public UUID startImport(InputStream csv, ImportOptions options) {
        return imports.start(csv, options.dryRun(), options.delimiter(), options.encoding(), options.username());
    }

    @Override
    public Optional<ImportStatus> importStatus(UUID id) {
        return imports.status(id);
    }

    @Override
    public List<RejectedLine> rejectedLines(UUID id, int limit) {
        return imports.rejectedLines(id, limit);
    }

    @Override
    public boolean writeRejectedLines(UUID id, Writer out) throws IOException {
        return imports.writeRejectedLines(id, out);
    }

    @Override
    public Optional<Visit> visit(long id) {
        return find("v.id = ?", id);
    }

    @Override
    public Optional<Visit> visitByExternalId(long idAtendimento) {
        return find("v.id_atendimento = ?", idAtendimento);
    }

    private Optional<Visit> find(String condition, long value) {
        return jdbc.sql(VisitRepository.SELECT + " WHERE " + condition + " AND v.deleted_at IS NULL")
                .param(value)
                .query((rs, n) -> new Visit(
                        rs.getLong("id"),
                        (Long) rs.getObject("id_atendimento"),
                        rs.getLong("id_cliente"),
                        rs.getString("angel"),
                        rs.getString("polo"),
                        rs.getObject("data_limite", LocalDate.class),
                        rs.getObject("data_de_atendimento", LocalDateTime.class),
                        rs.getString("status")))
                .optional();
    }
}

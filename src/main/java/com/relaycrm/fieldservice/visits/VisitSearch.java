package com.relaycrm.fieldservice.visits;

import com.relaycrm.fieldservice.domain.Names;
import com.relaycrm.fieldservice.domain.QueryParams;
import com.relaycrm.fieldservice.domain.VisitStatus;
import com.relaycrm.platform.ApiProblem;
import com.relaycrm.platform.SearchTerms;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;

/** The visit list's filters, ordering and paging, shared by the HTTP API and the module's facade. */
@Service
class VisitSearch {

    /** The seed's order_by list, mapped to SQL; every order ends with the id so pages never overlap. */
    private static final Map<String, String> ORDER = orderColumns();

    private final VisitRepository repository;

    VisitSearch(VisitRepository repository) {
        this.repository = repository;
    }

    /** {@code total} is exact unless {@code totalIsLowerBound} (the count stopped at its cap). */
    record Result(List<VisitView> data, long total, boolean totalIsLowerBound, int page, int perPage) {}

    private static Map<String, String> orderColumns() {
        Map<String, String> order = new LinkedHashMap<>();
        order.put("id", "v.id");
        order.put("created_at", "v.created_at");
        order.put("updated_at", "v.updated_at");
        order.put("cliente_id", "v.id_cliente");
        order.put("angel", "a.name");
        order.put("polo", "p.name");
        order.put("data_limite", "v.data_limite");
        order.put("data_de_atendimento", "v.data_de_atendimento");
        return order;
    }

    Result search(Map<String, String> query) {
        return search(query, 0);
    }

    /**
     * As {@link #search(Map)}; with {@code countAtMost > 0} the total is counted only up to that many visits (and
     * always far enough to tell whether a next page exists).
     */
    Result search(Map<String, String> query, long countAtMost) {
        QueryParams params = new QueryParams(query);
        int page = params.intValue("page", 1, 1_000_000, 1);
        int perPage = params.intValue("per_page", 1, 1000, 10);
        Selection selection = select(query);
        String condition = selection.condition();
        Map<String, Object> values = selection.values();
        String sql = selection.orderBy();
        long offset = (long) (page - 1) * perPage;
        long total;
        boolean lowerBound = false;
        if (countAtMost > 0) {
            long cap = Math.max(countAtMost, offset + perPage + 1);
            long counted = repository.countUpTo(condition, values, cap + 1);
            lowerBound = counted > cap;
            total = Math.min(counted, cap);
        } else {
            total = repository.count(condition, values);
        }
        String byName = selection.byName();
        List<VisitView> data = byName == null
                ? repository.list(condition, values, sql, perPage, offset)
                : repository.listByName(condition, values, byName, selection.descending(), perPage, offset);
        return new Result(data, total, lowerBound, page, perPage);
    }

    /** Every visit the list's filters select, in the list's order, without paging (an NDJSON export). */
    void forEach(Map<String, String> query, java.util.function.Consumer<? super VisitView> each) {
        Selection selection = select(query);
        repository.forEach(selection.condition(), selection.values(), selection.orderBy(), each);
    }

    /** A CSV export's query (see {@link com.relaycrm.platform.Exports#copyCsv}) and its parameters. */
    record CsvExport(String sql, Map<String, Object> values) {}

    /** Every visit the list's filters select, in the list's order, without paging, as a CSV export's query. */
    CsvExport csvExport(Map<String, String> query) {
        Selection selection = select(query);
        return new CsvExport(VisitRepository.csvExport(selection.condition(), selection.orderBy()), selection.values());
    }

    /** The list's filters and order as SQL, each filter validated (400 naming the parameter). */
    record Selection(
            String condition,
            Map<String, Object> values,
            String orderBy,
            @Nullable String byName,
            boolean descending) {}

    Selection select(Map<String, String> query) {
        QueryParams params = new QueryParams(query);
        String orderBy = params.text("order_by");
        String sql = "v.id";
        @Nullable String byName = null;
        boolean descending = false;
        if (orderBy != null) {
            descending = orderBy.startsWith("-");
            String key = descending ? orderBy.substring(1) : orderBy;
            if (key.equals("angel") || key.equals("polo")) {
                byName = key;
            }
            String column = ORDER.get(key);
            if (column == null) {
                throw ApiProblem.badParameter(
                        "order_by",
                        "must be one of " + String.join(", ", ORDER.keySet()) + " (prefix - for descending)");
            }
            // PostgreSQL's own null order (last ascending, first descending; only data_de_atendimento can be null,
            // as in the seed), so one index on (column, id) serves both directions.
            sql = column
                    + (descending ? " DESC" : " ASC")
                    + (key.equals("id") ? "" : ", v.id" + (descending ? " DESC" : ""));
        }
        List<String> where = new ArrayList<>(List.of("v.deleted_at IS NULL"));
        Map<String, Object> values = new HashMap<>();
        filter(params.longValue("id_atendimento", 1, Long.MAX_VALUE), "v.id_atendimento = :ext", "ext", where, values);
        filter(params.longValue("id_cliente", 1, Long.MAX_VALUE), "v.id_cliente = :cliente", "cliente", where, values);
        String angel = params.text("angel");
        // The name is turned into its id before the visits are read, so the planner can walk the visits by id and
        // stop at the page's end instead of joining every visit to its angel first.
        filter(
                angel == null ? null : Names.normalize(angel),
                "v.angel_id = (SELECT id FROM fieldservice_angel WHERE name = :angel)",
                "angel",
                where,
                values);
        String polo = params.text("polo");
        filter(
                polo == null ? null : Names.normalize(polo),
                "v.polo_id = (SELECT id FROM fieldservice_polo WHERE name = :polo)",
                "polo",
                where,
                values);
        String uf = params.text("uf");
        if (uf != null) {
            // the UF's polos first: a UF without visits is then answered without reading any
            List<Long> polos = repository.poloIdsOfUf(uf.toUpperCase(Locale.ROOT));
            where.add(polos.isEmpty() ? "FALSE" : "v.polo_id IN (:uf_polos)");
            values.put("uf_polos", polos);
        }
        filter(
                params.oneOf(
                        "status",
                        Arrays.stream(VisitStatus.values()).map(Enum::name).toList()),
                "v.status = :status",
                "status",
                where,
                values);
        Boolean onTime = params.bool("on_time");
        if (onTime != null) {
            where.add("v.status = 'DONE' AND (v.data_de_atendimento::date <= v.data_limite) = :on_time");
            values.put("on_time", onTime);
        }
        LocalDate limitFrom = params.date("data_limite_from");
        LocalDate limitTo = params.date("data_limite_to");
        params.range("data_limite_from", limitFrom, "data_limite_to", limitTo);
        filter(limitFrom, "v.data_limite >= :limit_from", "limit_from", where, values);
        filter(limitTo, "v.data_limite <= :limit_to", "limit_to", where, values);
        LocalDate visitFrom = params.date("data_de_atendimento_from");
        LocalDate visitTo = params.date("data_de_atendimento_to");
        params.range("data_de_atendimento_from", visitFrom, "data_de_atendimento_to", visitTo);
        filter(
                visitFrom == null ? null : visitFrom.atStartOfDay(),
                "v.data_de_atendimento >= :visit_from",
                "visit_from",
                where,
                values);
        filter(
                visitTo == null ? null : visitTo.plusDays(1).atStartOfDay(),
                "v.data_de_atendimento < :visit_to",
                "visit_to",
                where,
                values);
        String text = params.text("q");
        SearchTerms q = SearchTerms.optional(text);
        if (q != null) {
            where.add(VisitTextSearch.listCondition(q, values));
        }
        return new Selection(String.join(" AND ", where), values, sql, byName, descending);
    }

    private static void filter(
            @Nullable Object value, String condition, String name, List<String> where, Map<String, Object> values) {
        if (value != null) {
            where.add(condition);
            values.put(name, value);
        }
    }
}

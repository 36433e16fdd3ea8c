package com.relaycrm.console.fieldservice;

import com.relaycrm.fieldservice.FieldServiceApi;
import com.relaycrm.fieldservice.FieldServiceApi.Sla;
import com.relaycrm.platform.ApiProblem;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * Field-service dashboard: SLA per polo and per angel, productivity per angel, and the visits table. Filters are the
 * API's query parameters, passed through to the facade, so the page accepts and refuses exactly what the API does.
 * Reading needs any signed-in user, as the API's GET routes.
 */
@Controller
@RequestMapping("/console/field")
class FieldServicePages {

    /** The chart draws at most this many bars; the table below it always lists every row. */
    static final int CHART_BARS = 40;

    /** The visits table counts matches up to this many; beyond, it says "more than" (see bench/console). */
    static final long VISITS_COUNTED = 10_000;

    private static final List<String> INDICATOR_FILTERS =
            List.of("start_date", "end_date", "uf", "polo", "angel", "sort", "order");
    private static final List<String> VISIT_FILTERS = List.of(
            "id_atendimento",
            "id_cliente",
            "angel",
            "polo",
            "uf",
            "status",
            "on_time",
            "data_limite_from",
            "data_limite_to",
            "data_de_atendimento_from",
            "data_de_atendimento_to",
            "order_by",
            "page",
            "per_page");

    private final FieldServiceApi fieldService;

    FieldServicePages(FieldServiceApi fieldService) {
        this.fieldService = fieldService;
    }

    @GetMapping
    String page(@RequestParam Map<String, String> query, Model model) {
        indicators(query, model);
        visits(query, model);
        return "console/fieldservice/page";
    }

    @GetMapping("/indicators")
    String indicatorsFragment(@RequestParam Map<String, String> query, Model model) {
        indicators(query, model);
        return "console/fieldservice/page :: indicators";
    }

    @GetMapping("/visits")
    String visitsFragment(@RequestParam Map<String, String> query, Model model) {
        visits(query, model);
        return "console/fieldservice/page :: visits";
    }

    /** One chart with its accessible table; {@code height} is reserved up front so drawing moves nothing. */
    record SlaChart(String id, String title, String nameHeader, List<Sla> rows, int charted, int height) {

        static SlaChart of(String id, String title, String nameHeader, List<Sla> rows) {
            int charted = Math.min(rows.size(), CHART_BARS);
            return new SlaChart(id, title, nameHeader, rows, charted, 60 + 22 * Math.max(charted, 3));
        }

        public List<Sla> chartRows() {
            return rows.subList(0, charted);
        }
    }

    private void indicators(Map<String, String> query, Model model) {
        Map<String, String> filters = only(query, INDICATOR_FILTERS);
        model.addAttribute("filters", filters);
        try {
            var polos = fieldService.slaPerPolo(filters);
            var angels = fieldService.slaPerAngel(filters);
            model.addAttribute("poloChart", SlaChart.of("sla-polo", "SLA per polo", "Polo", polos.data()));
            model.addAttribute("angelChart", SlaChart.of("sla-angel", "SLA per angel", "Angel", angels.data()));
            model.addAttribute("poloNames", polos.data().stream().map(Sla::name).toList());
            model.addAttribute(
                    "angelNames", angels.data().stream().map(Sla::name).toList());
            model.addAttribute(
                    "ufs",
                    new TreeSet<>(polos.data().stream()
                            .map(s -> s.name().contains(" - ")
                                    ? s.name().substring(0, s.name().indexOf(" - "))
                                    : "")
                            .filter(uf -> !uf.isBlank())
                            .toList()));
            if (filters.containsKey("start_date") && filters.containsKey("end_date")) {
                var productivity = fieldService.productivityPerAngel(filters);
                model.addAttribute("productivity", productivity);
                int charted = Math.min(productivity.data().size(), CHART_BARS);
                model.addAttribute("productivityCharted", charted);
                model.addAttribute("productivityHeight", 60 + 22 * Math.max(charted, 3));
            }
        } catch (ApiProblem problem) {
            model.addAttribute("indicatorProblem", readable(problem));
        }
    }

    private void visits(Map<String, String> query, Model model) {
        Map<String, String> filters = only(query, VISIT_FILTERS);
        model.addAttribute("visitFilters", filters);
        try {
            FieldServiceApi.VisitPage page = fieldService.visits(filters, VISITS_COUNTED);
            model.addAttribute("visitPage", page);
            if (page.hasNext()) {
                model.addAttribute("nextUrl", pageUrl(filters, page.page() + 1));
            }
            if (page.hasPrevious()) {
                model.addAttribute("prevUrl", pageUrl(filters, page.page() - 1));
            }
        } catch (ApiProblem problem) {
            model.addAttribute("visitProblem", readable(problem));
        }
    }

    private static String pageUrl(Map<String, String> filters, int page) {
        var builder = ServletUriComponentsBuilder.fromPath("/console/field/visits");
        filters.forEach((name, value) -> {
            if (!name.equals("page")) {
                builder.queryParam(name, value);
            }
        });
        return builder.queryParam("page", page).encode().build().toUriString();
    }

    /** The known parameters with a value; blank form fields mean "no filter". */
    private static Map<String, String> only(Map<String, String> query, List<String> names) {
        Map<String, String> kept = new LinkedHashMap<>();
        for (String name : names) {
            String value = query.get(name);
            if (value != null && !value.isBlank()) {
                kept.put(name, value.strip());
            }
        }
        return kept;
    }

    static String readable(ApiProblem problem) {
        return problem.detail();
    }
}

package com.relaycrm.console.search;

import com.relaycrm.platform.Actor;
import com.relaycrm.platform.ApiProblem;
import com.relaycrm.search.SearchApi;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/** The header's search box: the API's search for the signed-in user, hits grouped by type. */
@Controller
class SearchPage {

    private static final Map<String, String> HEADINGS = Map.of(
            "lead", "Leads",
            "customer", "Customers",
            "employee", "Employees",
            "message", "Messages",
            "visit", "Visits");

    private final SearchApi search;

    SearchPage(SearchApi search) {
        this.search = search;
    }

    /** A group of hits under its heading; {@code links} holds each hit's console page (empty: none). */
    record Group(String type, String heading, List<SearchApi.Hit> hits, List<String> links) {}

    @GetMapping("/console/search")
    String page(@RequestParam(required = false) @Nullable String q, Model model) {
        model.addAttribute("q", q == null ? "" : q);
        model.addAttribute("section", "search");
        if (q == null || q.isBlank()) {
            model.addAttribute("groups", List.of());
            return "console/search";
        }
        try {
            SearchApi.Result result = search.search(Actor.current(), q, null, "50");
            Map<String, Group> groups = new LinkedHashMap<>();
            for (String type : SearchApi.TYPES) {
                List<SearchApi.Hit> hits = result.hits().stream()
                        .filter(h -> h.type().equals(type))
                        .toList();
                if (!hits.isEmpty()) {
                    groups.put(
                            type,
                            new Group(
                                    type,
                                    HEADINGS.getOrDefault(type, type),
                                    hits,
                                    hits.stream().map(SearchPage::link).toList()));
                }
            }
            model.addAttribute("groups", List.copyOf(groups.values()));
            model.addAttribute("count", result.hits().size());
        } catch (ApiProblem problem) {
            model.addAttribute("groups", List.of());
            model.addAttribute("error", "Type 2 to 499 characters to search.");
        }
        return "console/search";
    }

    private static String link(SearchApi.Hit hit) {
        return switch (hit.type()) {
            case "lead" -> "/console/leads/" + hit.id();
            case "customer" -> "/console/customers/" + hit.id();
            case "employee" -> "/console/employees";
            case "message" -> hit.threadId() == null ? "" : "/console/inbox/" + hit.threadId();
            case "visit" -> "/console/field/visits";
            default -> "";
        };
    }
}

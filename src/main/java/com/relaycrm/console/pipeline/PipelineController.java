package com.relaycrm.console.pipeline;

import com.relaycrm.platform.Actor;
import com.relaycrm.platform.ApiProblem;
import com.relaycrm.platform.Role;
import com.relaycrm.sales.LeadsApi;
import com.relaycrm.sales.LeadsApi.LeadFilter;
import com.relaycrm.sales.LeadsApi.LeadView;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Pipeline board, lead page with history and conversion, customers and employees. */
@Controller
class PipelineController {

    static final int LEADS_PER_COLUMN = 20;
    static final int PAGE_SIZE = 50;
    private static final int MAX_TEXT = 255;

    private final LeadsApi leads;
    private final JsonMapper json;

    PipelineController(LeadsApi leads, JsonMapper json) {
        this.leads = leads;
        this.json = json;
    }

    @GetMapping("/console/pipeline")
    String board(
            @RequestParam(name = "assigned_to", required = false) @Nullable Long assignedTo,
            @RequestParam(required = false) @Nullable String source,
            @RequestParam(required = false) @Nullable String q,
            @RequestParam(name = "created_from", required = false)
                    @DateTimeFormat(iso = DateTimeFormat.ISO.DATE)
                    @Nullable
                    LocalDate createdFrom,
            @RequestParam(name = "created_to", required = false)
                    @DateTimeFormat(iso = DateTimeFormat.ISO.DATE)
                    @Nullable
                    LocalDate createdTo,
            Model model) {
        requireShort("source", source);
        requireShort("q", q);
        if (createdFrom != null && createdTo != null && createdTo.isBefore(createdFrom)) {
            throw ApiProblem.badParameter("created_to", "must not be before created_from");
        }
        LeadFilter filter = new LeadFilter(assignedTo, blankToNull(source), blankToNull(q), createdFrom, createdTo);
        model.addAttribute("columns", leads.pipeline(filter, LEADS_PER_COLUMN));
        model.addAttribute("filter", filter);
        model.addAttribute("employees", leads.employees(0, 500).items());
        model.addAttribute("perColumn", LEADS_PER_COLUMN);
        return "console/pipeline";
    }

    @GetMapping("/console/leads/{id}")
    String lead(@PathVariable long id, @RequestParam(required = false) @Nullable String converted, Model model) {
        LeadView lead = leads.lead(id).orElseThrow(() -> ApiProblem.notFound("Lead " + id + " does not exist"));
        model.addAttribute("lead", lead);
        model.addAttribute(
                "history",
                leads.leadHistory(id).stream()
                        .map(h -> new HistoryLine(h.at().toString(), h.username(), h.action(), describe(h.changes())))
                        .toList());
        model.addAttribute(
                "customer",
                lead.customerId() == null
                        ? null
                        : leads.customer(lead.customerId()).orElse(null));
        model.addAttribute("canConvert", !"Won".equals(lead.status()) && mayChange());
        if (converted != null && lead.customerId() != null) {
            model.addAttribute("notice", "Converted: customer " + lead.customerId() + " holds this lead.");
        }
        return "console/lead";
    }

    @PostMapping("/console/leads/{id}/convert")
    String convert(@PathVariable long id, RedirectAttributes redirect) {
        try {
            leads.convertLead(id, Actor.current().username());
            return "redirect:/console/leads/" + id + "?converted";
        } catch (ApiProblem problem) {
            if (problem.status().value() == 404) {
                throw problem;
            }
            redirect.addFlashAttribute("problem", problem.detail());
            return "redirect:/console/leads/" + id;
        }
    }

    @GetMapping("/console/customers")
    String customers(
            @RequestParam(required = false) @Nullable String q,
            @RequestParam(defaultValue = "1") int page,
            Model model) {
        requireShort("q", q);
        int current = Math.max(1, Math.min(page, 100_000));
        var result = leads.customers(blankToNull(q), (current - 1) * PAGE_SIZE, PAGE_SIZE);
        model.addAttribute("customers", result.items());
        model.addAttribute("total", result.total());
        model.addAttribute("q", q == null ? "" : q);
        model.addAttribute("page", current);
        model.addAttribute("pages", Math.max(1, (result.total() + PAGE_SIZE - 1) / PAGE_SIZE));
        return "console/customers";
    }

    @GetMapping("/console/customers/{id}")
    String customer(@PathVariable long id, Model model) {
        var customer = leads.customer(id).orElseThrow(() -> ApiProblem.notFound("Customer " + id + " does not exist"));
        model.addAttribute("customer", customer);
        model.addAttribute(
                "lead",
                customer.leadId() == null ? null : leads.lead(customer.leadId()).orElse(null));
        return "console/customer";
    }

    @GetMapping("/console/employees")
    String employees(Model model) {
        var result = leads.employees(0, 1000);
        model.addAttribute("employees", result.items());
        model.addAttribute("total", result.total());
        return "console/employees";
    }

    record HistoryLine(String at, String username, String action, List<String> changes) {}

    /** {"status": {"from": "New", "to": "Won"}} becomes "status: New → Won". */
    private List<String> describe(String changes) {
        List<String> lines = new ArrayList<>();
        JsonNode node = json.readTree(changes);
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            lines.add(field.getKey() + ": " + text(field.getValue().get("from")) + " → "
                    + text(field.getValue().get("to")));
        }
        return lines;
    }

    private static String text(JsonNode value) {
        return value == null || value.isNull() ? "–" : value.isString() ? value.asString() : value.toString();
    }

    private static boolean mayChange() {
        return Actor.current().hasAny(Role.SALES, Role.ADMIN);
    }

    private static void requireShort(String name, @Nullable String value) {
        if (value != null && value.length() > MAX_TEXT) {
            throw ApiProblem.badParameter(name, "must be at most " + MAX_TEXT + " characters");
        }
    }

    private static @Nullable String blankToNull(@Nullable String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}

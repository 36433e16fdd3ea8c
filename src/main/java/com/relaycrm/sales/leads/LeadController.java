package com.relaycrm.sales.leads;

import com.relaycrm.platform.Actor;
import com.relaycrm.platform.ApiProblem;
import com.relaycrm.platform.Exports;
import com.relaycrm.platform.JsonInput;
import com.relaycrm.platform.SearchTerms;
import com.relaycrm.sales.shared.Etags;
import com.relaycrm.sales.shared.Fields;
import com.relaycrm.sales.shared.QueryParams;
import com.relaycrm.sales.shared.SalesProperties;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.math.BigDecimal;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

@RestController
@RequestMapping("/leads")
@Tag(name = "Leads", description = "Sales opportunities; a lead that is won becomes a customer")
class LeadController {

    private static final List<String> FIELDS = List.of(
            "name",
            "contact_email",
            "status",
            "expected_revenue",
            "currency",
            "source",
            "assigned_to",
            "lost_reason",
            "account_manager_id");
    private static final List<String> READ_ONLY = List.of("id", "customer_id", "created_at", "updated_at", "version");
    private static final BigDecimal MAX_REVENUE = new BigDecimal("999999999999.99");
    private static final Map<String, String> SORTS = Map.of(
            "id",
            "l.id",
            "-id",
            "l.id DESC",
            "created_at",
            "l.created_at, l.id",
            "-created_at",
            "l.created_at DESC, l.id DESC",
            "expected_revenue",
            "l.expected_revenue NULLS FIRST, l.id",
            "-expected_revenue",
            "l.expected_revenue DESC NULLS LAST, l.id DESC");

    private final Leads leads;
    private final Exports exports;
    private static final List<String> COLUMNS = List.of(
            "id",
            "name",
            "contact_email",
            "status",
            "expected_revenue",
            "currency",
            "source",
            "assigned_to",
            "lost_reason",
            "customer_id",
            "created_at",
            "updated_at",
            "version");
    private final SalesProperties properties;

    LeadController(Leads leads, SalesProperties properties, Exports exports) {
        this.exports = exports;
        this.leads = leads;
        this.properties = properties;
    }

    record LeadRequest(
            String name,
            String contactEmail,

            @Schema(allowableValues = {"New", "Contacted", "Qualified", "Proposal", "Negotiation", "Won", "Lost"})
            String status,

            BigDecimal expectedRevenue,
            String currency,
            String source,
            Long assignedTo,
            String lostReason,

            @Schema(description = "Only with status Won: the new customer's account manager")
            Long accountManagerId) {}

    record ConvertRequest(Long accountManagerId) {}

    @PostMapping
    @Operation(summary = "Create a lead (409 with existing_id for an open duplicate)")
    ResponseEntity<Lead> create(
            @io.swagger.v3.oas.annotations.parameters.RequestBody(
                            content = @Content(schema = @Schema(implementation = LeadRequest.class)))
                    @RequestBody
                    JsonNode body) {
        JsonInput input = JsonInput.of(body).onlyFields(FIELDS, READ_ONLY);
        Leads.Changes changes = read(input, true);
        if (changes.status() != null && !LeadStatus.isOpen(changes.status())) {
            input.reject("status", "must be an open status when creating (not Won or Lost)");
        }
        if (input.has("lost_reason")) {
            input.reject("lost_reason", "is only allowed when status is Lost");
        }
        if (input.has("account_manager_id")) {
            input.reject("account_manager_id", "is only allowed when status becomes Won");
        }
        input.validate();
        Leads.Changes defaults = new Leads.Changes(
                changes.present(),
                changes.name(),
                changes.contactEmail(),
                changes.status() == null ? LeadStatus.NEW : changes.status(),
                changes.expectedRevenue(),
                changes.currency() == null ? properties.defaultCurrency() : changes.currency(),
                changes.source(),
                changes.assignedTo(),
                null,
                null);
        Lead lead = leads.create(defaults, Actor.current().username());
        return ResponseEntity.created(URI.create("/leads/" + lead.id()))
                .eTag(Etags.of(lead.version()))
                .body(lead);
    }

    @GetMapping
    @Operation(
            summary =
                    "List leads (default order id); filters status, assigned_to, source, q (name, e-mail or source: contains, accent-insensitive, or word prefixes), created_from, "
                            + "created_to; sort id|created_at|expected_revenue with - for descending; total in X-Total-Count."
                            + Exports.NOTE)
    Object list(@RequestParam Map<String, String> params, HttpServletRequest request) {
        QueryParams query = new QueryParams(params);
        String sort = query.text("sort", 20);
        if (sort != null && !SORTS.containsKey(sort)) {
            throw ApiProblem.badParameter(
                    "sort",
                    "must be one of id, created_at, expected_revenue, optionally prefixed with - for descending");
        }
        Leads.Filter filter = new Leads.Filter(
                query.oneOf("status", LeadStatus.ALL),
                query.longValue("assigned_to", 1, Long.MAX_VALUE),
                query.text("source", 100),
                SearchTerms.optional(query.text("q", 255)),
                query.instant("created_from", false),
                query.instant("created_to", true),
                Objects.requireNonNull(SORTS.get(sort == null ? "id" : sort), "sort validated above"));
        Exports.Format export = exports.requested(params, request);
        if (export != null) {
            return exports.<Lead>stream(export, "leads", COLUMNS, params, request, each -> leads.forEach(filter, each));
        }
        Leads.Page page = leads.list(filter, query.skip(), query.limit());
        return ResponseEntity.ok()
                .header("X-Total-Count", Long.toString(page.total()))
                .body(page.items());
    }

    @GetMapping("/{id}")
    ResponseEntity<Lead> get(@PathVariable long id) {
        Lead lead = leads.find(id).orElseThrow(() -> Leads.notFound(id));
        return ResponseEntity.ok().eTag(Etags.of(lead.version())).body(lead);
    }

    @PatchMapping("/{id}")
    @Operation(
            summary = "Change some fields; status Won converts the lead into a customer in the same transaction; "
                    + "If-Match with a stale ETag is 412")
    ResponseEntity<Lead> patch(
            @PathVariable long id,
            @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) @Nullable String ifMatch,
            @io.swagger.v3.oas.annotations.parameters.RequestBody(
                            content = @Content(schema = @Schema(implementation = LeadRequest.class)))
                    @RequestBody
                    JsonNode body) {
        JsonInput input = JsonInput.of(body).onlyFields(FIELDS, READ_ONLY);
        Leads.Changes changes = read(input, false);
        input.validate();
        Lead lead = leads.update(id, changes, ifMatch, Actor.current().username());
        return ResponseEntity.ok().eTag(Etags.of(lead.version())).body(lead);
    }

    @PutMapping("/{id}")
    @Operation(summary = "Same as PATCH (partial), as the seed's PUT was")
    ResponseEntity<Lead> put(
            @PathVariable long id,
            @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) @Nullable String ifMatch,
            @RequestBody JsonNode body) {
        return patch(id, ifMatch, body);
    }

    @PostMapping("/{id}/convert")
    @Operation(summary = "Mark the lead Won and give it its customer (idempotent)")
    ResponseEntity<Lead> convert(
            @PathVariable long id,
            @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) @Nullable String ifMatch,
            @io.swagger.v3.oas.annotations.parameters.RequestBody(
                            required = false,
                            content = @Content(schema = @Schema(implementation = ConvertRequest.class)))
                    @RequestBody(required = false)
                    JsonNode body) {
        Long manager = null;
        if (body != null && !body.isMissingNode() && !body.isNull()) {
            JsonInput input = JsonInput.of(body).onlyFields(List.of("account_manager_id"), List.of());
            manager = Fields.id(input, "account_manager_id", false);
            input.validate();
        }
        Lead lead = leads.convert(id, manager, ifMatch, Actor.current().username());
        return ResponseEntity.ok().eTag(Etags.of(lead.version())).body(lead);
    }

    @DeleteMapping("/{id}")
    @Operation(summary = "Soft delete (409 for a won lead); POST /leads/{id}/restore brings it back")
    ResponseEntity<Void> delete(@PathVariable long id) {
        leads.delete(id, Actor.current().username());
        return ResponseEntity.noContent().build();
    }

    @PostMapping("/{id}/restore")
    ResponseEntity<Lead> restore(@PathVariable long id) {
        Lead lead = leads.restore(id, Actor.current().username());
        return ResponseEntity.ok().eTag(Etags.of(lead.version())).body(lead);
    }

    @GetMapping("/{id}/history")
    @Operation(summary = "Every change to the lead, oldest first, with time and acting username")
    List<LeadHistoryEntry> history(@PathVariable long id) {
        return leads.history(id);
    }

    /** Field validation shared by create and PATCH; on PATCH a sent field must be valid, null included. */
    private Leads.Changes read(JsonInput input, boolean creating) {
        String name = input.string("name", 1, 255, creating || input.has("name"));
        String email = input.email("contact_email", creating || input.has("contact_email"));
        String status = input.oneOf("status", LeadStatus.ALL, input.has("status"));
        BigDecimal revenue = input.decimal("expected_revenue", BigDecimal.ZERO, MAX_REVENUE, 2, false);
        String currency = currency(input);
        String source = input.string("source", 0, 100, false);
        Long assignedTo = Fields.id(input, "assigned_to", creating || input.has("assigned_to"));
        String lostReason = input.string("lost_reason", 0, 500, false);
        Long accountManager = Fields.id(input, "account_manager_id", false);
        return new Leads.Changes(
                Set.copyOf(input.fields()),
                name,
                email,
                status,
                revenue,
                currency,
                source == null || source.isEmpty() ? null : source,
                assignedTo,
                lostReason == null || lostReason.isEmpty() ? null : lostReason,
                accountManager);
    }

    private static @Nullable String currency(JsonInput input) {
        String code = input.string("currency", 3, 3, input.has("currency"));
        if (code == null) {
            return null;
        }
        String upper = code.toUpperCase(Locale.ROOT);
        if (!upper.matches("[A-Z]{3}") || !SalesProperties.isIsoCurrency(upper)) {
            input.reject("currency", "must be an ISO 4217 currency code like USD or EUR");
            return null;
        }
        return upper;
    }
}

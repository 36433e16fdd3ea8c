package com.relaycrm.sales.customers;

import com.relaycrm.platform.Exports;
import com.relaycrm.platform.JsonInput;
import com.relaycrm.platform.SearchTerms;
import com.relaycrm.sales.shared.Etags;
import com.relaycrm.sales.shared.Fields;
import com.relaycrm.sales.shared.QueryParams;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
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
@RequestMapping("/customers")
@Tag(name = "Customers", description = "Customers, created directly or by winning a lead")
class CustomerController {

    private static final List<String> FIELDS =
            List.of("name", "contact_email", "phone_number", "address", "signed_date", "account_manager_id", "lead_id");
    private static final List<String> READ_ONLY = List.of("id", "created_at", "updated_at", "version");

    private static final List<String> COLUMNS = List.of(
            "id",
            "name",
            "contact_email",
            "phone_number",
            "address",
            "signed_date",
            "account_manager_id",
            "lead_id",
            "created_at",
            "updated_at",
            "version");

    private final Customers customers;
    private final Exports exports;

    CustomerController(Customers customers, Exports exports) {
        this.exports = exports;
        this.customers = customers;
    }

    record CustomerRequest(
            String name,
            String contactEmail,
            String phoneNumber,
            String address,
            LocalDate signedDate,
            Long accountManagerId,
            Long leadId) {}

    @PostMapping
    @Operation(summary = "Create a customer (409 with existing_id when the e-mail is taken)")
    ResponseEntity<Customer> create(
            @io.swagger.v3.oas.annotations.parameters.RequestBody(
                            content = @Content(schema = @Schema(implementation = CustomerRequest.class)))
                    @RequestBody
                    JsonNode body) {
        Customer created = customers.create(read(body, true));
        return ResponseEntity.created(URI.create("/customers/" + created.id()))
                .eTag(Etags.of(created.version()))
                .body(created);
    }

    @GetMapping
    @Operation(
            responses =
                    @io.swagger.v3.oas.annotations.responses.ApiResponse(
                            responseCode = "200",
                            content = {
                                @Content(
                                        mediaType = "application/json",
                                        array =
                                                @io.swagger.v3.oas.annotations.media.ArraySchema(
                                                        schema = @Schema(implementation = Customer.class))),
                                @Content(mediaType = "text/csv"),
                                @Content(mediaType = "application/x-ndjson")
                            }),
            summary = "List customers by id; filters account_manager_id, email, q; total in X-Total-Count."
                    + Exports.NOTE)
    Object list(@RequestParam Map<String, String> params, HttpServletRequest request) {
        QueryParams query = new QueryParams(params);
        Long manager = query.longValue("account_manager_id", 1, Long.MAX_VALUE);
        String email = query.text("email", 254);
        SearchTerms q = SearchTerms.optional(query.text("q", 255));
        Exports.Format export = exports.requested(params, request);
        if (export != null) {
            return exports.<Customer>stream(
                    export, "customers", COLUMNS, params, request, each -> customers.forEach(manager, email, q, each));
        }
        Customers.Page page = customers.list(manager, email, q, query.skip(), query.limit());
        return ResponseEntity.ok()
                .header("X-Total-Count", Long.toString(page.total()))
                .body(page.items());
    }

    @GetMapping("/{id}")
    ResponseEntity<Customer> get(@PathVariable long id) {
        Customer customer = customers.find(id).orElseThrow(() -> Customers.notFound(id));
        return ResponseEntity.ok().eTag(Etags.of(customer.version())).body(customer);
    }

    @PatchMapping("/{id}")
    @Operation(summary = "Change some fields; If-Match with a stale ETag is 412")
    ResponseEntity<Customer> patch(
            @PathVariable long id,
            @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) @Nullable String ifMatch,
            @io.swagger.v3.oas.annotations.parameters.RequestBody(
                            content = @Content(schema = @Schema(implementation = CustomerRequest.class)))
                    @RequestBody
                    JsonNode body) {
        Customer updated = customers.update(id, read(body, false), ifMatch);
        return ResponseEntity.ok().eTag(Etags.of(updated.version())).body(updated);
    }

    @PutMapping("/{id}")
    @Operation(summary = "Same as PATCH (partial), kept for clients of the seed")
    ResponseEntity<Customer> put(
            @PathVariable long id,
            @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) @Nullable String ifMatch,
            @RequestBody JsonNode body) {
        return patch(id, ifMatch, body);
    }

    @DeleteMapping("/{id}")
    @Operation(summary = "Soft delete; POST /customers/{id}/restore brings it back")
    ResponseEntity<Void> delete(@PathVariable long id) {
        customers.delete(id);
        return ResponseEntity.noContent().build();
    }

    @PostMapping("/{id}/restore")
    ResponseEntity<Customer> restore(@PathVariable long id) {
        Customer restored = customers.restore(id);
        return ResponseEntity.ok().eTag(Etags.of(restored.version())).body(restored);
    }

    private static Customers.Changes read(JsonNode body, boolean creating) {
        JsonInput input = JsonInput.of(body).onlyFields(FIELDS, READ_ONLY);
        String name = input.string("name", 1, 255, creating || input.has("name"));
        String email = input.email("contact_email", creating || input.has("contact_email"));
        String phone = Fields.phone(input, "phone_number");
        String address = input.string("address", 0, 500, false);
        LocalDate signed = Fields.date(input, "signed_date", input.has("signed_date"));
        Long manager = Fields.id(input, "account_manager_id", creating || input.has("account_manager_id"));
        Long lead = Fields.id(input, "lead_id", false);
        input.validate();
        return new Customers.Changes(input.fields(), name, email, phone, emptyToNull(address), signed, manager, lead);
    }

    private static @Nullable String emptyToNull(@Nullable String text) {
        return text == null || text.isEmpty() ? null : text;
    }
}

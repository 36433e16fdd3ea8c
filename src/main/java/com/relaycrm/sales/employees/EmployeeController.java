package com.relaycrm.sales.employees;

import com.relaycrm.platform.Exports;
import com.relaycrm.platform.JsonInput;
import com.relaycrm.platform.SearchTerms;
import com.relaycrm.sales.shared.QueryParams;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.util.List;
import java.util.Map;
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
import tools.jackson.databind.JsonNode;

@RestController
@RequestMapping("/employees")
@Tag(name = "Employees", description = "Sales people and account managers")
class EmployeeController {

    private static final List<String> FIELDS = List.of("name", "email", "role", "active");
    private static final List<String> READ_ONLY = List.of("id", "created_at", "updated_at");

    private static final List<String> COLUMNS =
            List.of("id", "name", "email", "role", "active", "created_at", "updated_at");

    private final Employees employees;
    private final Exports exports;

    EmployeeController(Employees employees, Exports exports) {
        this.exports = exports;
        this.employees = employees;
    }

    record EmployeeRequest(
            String name,
            String email,

            @Schema(allowableValues = {"SALES_REP", "ACCOUNT_MANAGER", "SALES_MANAGER"})
            String role,

            Boolean active) {}

    @PostMapping
    @Operation(summary = "Create an employee")
    ResponseEntity<Employee> create(
            @io.swagger.v3.oas.annotations.parameters.RequestBody(
                            content = @Content(schema = @Schema(implementation = EmployeeRequest.class)))
                    @RequestBody
                    JsonNode body) {
        Employees.Changes changes = read(body, true);
        Employee created = employees.create(changes);
        return ResponseEntity.created(URI.create("/employees/" + created.id())).body(created);
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
                                                        schema = @Schema(implementation = Employee.class))),
                                @Content(mediaType = "text/csv"),
                                @Content(mediaType = "application/x-ndjson")
                            }),
            summary = "List employees by id; filters role, active, q; total in X-Total-Count." + Exports.NOTE)
    Object list(@RequestParam Map<String, String> params, HttpServletRequest request) {
        QueryParams query = new QueryParams(params);
        String role = query.oneOf("role", Employee.ROLES);
        Boolean active = query.bool("active");
        SearchTerms q = SearchTerms.optional(query.text("q", 255));
        Exports.Format export = exports.requested(params, request);
        if (export != null) {
            return exports.<Employee>stream(
                    export, "employees", COLUMNS, params, request, each -> employees.forEach(role, active, q, each));
        }
        Employees.Page page = employees.list(role, active, q, query.skip(), query.limit());
        return ResponseEntity.ok()
                .header("X-Total-Count", Long.toString(page.total()))
                .body(page.items());
    }

    @GetMapping("/{id}")
    Employee get(@PathVariable long id) {
        return employees.find(id).orElseThrow(() -> Employees.notFound(id));
    }

    @PatchMapping("/{id}")
    @Operation(summary = "Change some fields (deactivate with {\"active\": false})")
    Employee patch(
            @PathVariable long id,
            @io.swagger.v3.oas.annotations.parameters.RequestBody(
                            content = @Content(schema = @Schema(implementation = EmployeeRequest.class)))
                    @RequestBody
                    JsonNode body) {
        return employees.update(id, read(body, false));
    }

    @PutMapping("/{id}")
    @Operation(summary = "Same as PATCH (partial), kept for clients of the seed")
    Employee put(@PathVariable long id, @RequestBody JsonNode body) {
        return patch(id, body);
    }

    @DeleteMapping("/{id}")
    @Operation(summary = "Delete an employee nobody references (409 otherwise)")
    ResponseEntity<Void> delete(@PathVariable long id) {
        employees.delete(id);
        return ResponseEntity.noContent().build();
    }

    private static Employees.Changes read(JsonNode body, boolean creating) {
        JsonInput input = JsonInput.of(body).onlyFields(FIELDS, READ_ONLY);
        // on PATCH a field may be left out, but a field that is sent must be valid (null included)
        String name = input.string("name", 1, 255, creating || input.has("name"));
        String email = input.email("email", creating || input.has("email"));
        String role = input.oneOf("role", Employee.ROLES, creating || input.has("role"));
        Boolean active = input.bool("active", input.has("active"));
        input.validate();
        return new Employees.Changes(name, email, role, active);
    }
}

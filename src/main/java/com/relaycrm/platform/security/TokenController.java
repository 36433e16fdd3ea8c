package com.relaycrm.platform.security;

import com.relaycrm.platform.Actor;
import com.relaycrm.platform.ApiProblem;
import com.relaycrm.platform.JsonInput;
import com.relaycrm.platform.Role;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

@RestController
@RequestMapping("/api/v1/tokens")
@Tag(name = "Tokens", description = "API tokens (admin only)")
class TokenController {

    private final ApiTokens tokens;

    TokenController(ApiTokens tokens) {
        this.tokens = tokens;
    }

    @PostMapping
    @Operation(summary = "Issue a token; the secret is in this response only")
    ResponseEntity<Map<String, Object>> issue(@RequestBody JsonNode body) {
        JsonInput input = JsonInput.of(body).onlyFields(List.of("username", "roles"), List.of());
        String username = input.string("username", 1, 64, true);
        List<String> roleNames = input.strings("roles", 1, Role.values().length, 64, true);
        EnumSet<Role> roles = EnumSet.noneOf(Role.class);
        if (roleNames != null) {
            for (int i = 0; i < roleNames.size(); i++) {
                String name = roleNames.get(i);
                if (Role.names().contains(name)) {
                    roles.add(Role.valueOf(name));
                } else {
                    input.reject("roles[" + i + "]", "must be one of " + String.join(", ", Role.names()));
                }
            }
        }
        input.validate();
        ApiTokens.IssuedToken issued = tokens.issue(
                Objects.requireNonNull(username, "validated above"),
                roles,
                Actor.current().username());
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("id", issued.view().id());
        response.put("username", issued.view().username());
        response.put("roles", issued.view().roles());
        response.put("created_at", issued.view().createdAt());
        response.put("token", issued.token());
        return ResponseEntity.created(
                        URI.create("/api/v1/tokens/" + issued.view().id()))
                .body(response);
    }

    @GetMapping
    @Operation(summary = "List tokens (never their secrets)")
    List<ApiTokens.TokenView> list() {
        return tokens.list();
    }

    @GetMapping("/{id}")
    ApiTokens.TokenView get(@PathVariable long id) {
        return tokens.find(id).orElseThrow(() -> ApiProblem.notFound("Token " + id + " does not exist"));
    }

    @DeleteMapping("/{id}")
    @Operation(summary = "Revoke a token, effective at once on every instance")
    ResponseEntity<Void> revoke(@PathVariable long id) {
        tokens.revoke(id);
        return ResponseEntity.noContent().build();
    }
}

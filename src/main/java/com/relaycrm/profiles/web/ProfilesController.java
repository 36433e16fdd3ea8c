package com.relaycrm.profiles.web;

import com.relaycrm.platform.ApiProblem;
import com.relaycrm.platform.JsonInput;
import com.relaycrm.profiles.building.AggregateCommand;
import com.relaycrm.profiles.building.AggregateResult;
import com.relaycrm.profiles.building.ProfileService;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

@RestController
@Tag(name = "Profiles", description = "Merged GitHub + Bitbucket developer profiles (seed 001)")
class ProfilesController {

    /** GitHub logins and Bitbucket workspace ids share this safe set; nothing here can alter a URL path. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,38}");

    private static final String NAME_RULE =
            "must be 1-39 characters: letters, digits, '-' or '_', starting with a letter or digit";
    private static final List<String> FIELDS =
            List.of("username", "github", "bitbucket", "include_forks", "refresh", "include_commits");

    private final ProfileService profiles;

    ProfilesController(ProfileService profiles) {
        this.profiles = profiles;
    }

    @PostMapping("/api/v1/aggregate")
    @Operation(
            summary = "Build (or serve from cache) the merged profile of a GitHub account and Bitbucket workspace",
            description = "200 even when one provider is missing or failing (see sources); 404 when neither has "
                    + "the name; 429 with Retry-After when both rate limit; 502/504 when both fail.")
    Map<String, Object> aggregate(
            @io.swagger.v3.oas.annotations.parameters.RequestBody(
                            content = @Content(schema = @Schema(implementation = AggregateRequest.class)))
                    @RequestBody
                    JsonNode body) {
        JsonInput input = JsonInput.of(body).onlyFields(FIELDS, List.of());
        String username = name(input, body, "username");
        String github = name(input, body, "github");
        String bitbucket = name(input, body, "bitbucket");
        boolean includeForks = Boolean.TRUE.equals(input.bool("include_forks", false));
        boolean refresh = Boolean.TRUE.equals(input.bool("refresh", false));
        boolean includeCommits = Boolean.TRUE.equals(input.bool("include_commits", false));
        if (username == null && input.valid()) {
            if (github == null && bitbucket == null) {
                input.reject("username", "is required (or give both github and bitbucket)");
            } else if (github == null) {
                input.reject("github", "is required when username is absent");
            } else if (bitbucket == null) {
                input.reject("bitbucket", "is required when username is absent");
            }
        }
        input.validate();
        // validate() threw unless username or both provider names are present
        AggregateResult result = profiles.aggregate(new AggregateCommand(
                java.util.Objects.requireNonNull(github != null ? github : username),
                java.util.Objects.requireNonNull(bitbucket != null ? bitbucket : username),
                includeForks,
                refresh,
                includeCommits));
        Object sources = result.body().get("sources");
        return switch (result.outcome()) {
            case PROFILE -> result.body();
            case NOT_FOUND ->
                throw ApiProblem.notFound("Neither GitHub nor Bitbucket has this name")
                        .with("sources", sources);
            case RATE_LIMITED ->
                throw ApiProblem.tooManyRequests(
                                "GitHub and Bitbucket are both rate limiting Relay; retry later",
                                result.retryAfterSeconds())
                        .with("sources", sources);
            case UPSTREAM_TIMEOUT ->
                throw ApiProblem.of(
                                HttpStatus.GATEWAY_TIMEOUT,
                                "upstream-timeout",
                                "Upstream timeout",
                                "GitHub and Bitbucket could not both be read in time")
                        .with("sources", sources);
            case UPSTREAM_FAILED ->
                throw ApiProblem.of(
                                HttpStatus.BAD_GATEWAY,
                                "upstream-failed",
                                "Upstream failure",
                                "Neither GitHub nor Bitbucket gave a usable answer")
                        .with("sources", sources);
        };
    }

    @GetMapping("/api/v1/profiles/{name}")
    @Operation(summary = "The last merged profile built for a name (as the single name or either provider's name)")
    Map<String, Object> profile(@PathVariable String name) {
        if (!NAME.matcher(name).matches()) {
            throw ApiProblem.badParameter("name", NAME_RULE);
        }
        return profiles.cached(name.toLowerCase(Locale.ROOT))
                .orElseThrow(() -> ApiProblem.notFound("No profile has been built for this name yet"));
    }

    /** A provider name exactly as sent: no trimming, so " pypy" is refused rather than silently changed. */
    private static @Nullable String name(JsonInput input, JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isString()) {
            input.reject(field, "must be a string");
            return null;
        }
        if (!NAME.matcher(value.stringValue()).matches()) {
            input.reject(field, NAME_RULE);
            return null;
        }
        return value.stringValue().toLowerCase(Locale.ROOT);
    }
}

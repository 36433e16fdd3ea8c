package com.relaycrm.gistwatch.watching;

import com.relaycrm.platform.ApiProblem;
import com.relaycrm.platform.JsonInput;
import com.relaycrm.platform.RouteAccess;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpMethod;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

@RestController
@RequestMapping("/api/v1/github")
@Tag(name = "Gist watch", description = "Watched GitHub users and their gist scans")
class WatchedUserController {

    private final WatchList watchList;
    private final WatchedUsers users;
    private final Scanner scanner;

    WatchedUserController(WatchList watchList, WatchedUsers users, Scanner scanner) {
        this.watchList = watchList;
        this.users = users;
        this.scanner = scanner;
    }

    @Bean
    static RouteAccess gistwatchRoutes() {
        return routes -> routes.requestMatchers(HttpMethod.POST, "/api/v1/github/scan")
                .hasRole("ADMIN")
                .requestMatchers(HttpMethod.POST, "/api/v1/github/deal-sync")
                .hasRole("ADMIN")
                .requestMatchers(HttpMethod.POST, "/api/v1/github/watched-users", "/api/v1/github/gists/*/retry")
                .hasAnyRole("SALES", "ADMIN")
                .requestMatchers(HttpMethod.DELETE, "/api/v1/github/watched-users/*")
                .hasAnyRole("SALES", "ADMIN");
    }

    record WatchRequest(String login) {}

    record UserView(
            String login,
            String status,
            @Nullable String statusDetail,
            @Nullable Instant lastScanAt,
            int gistCount,
            Instant addedAt,
            String source) {

        static UserView of(WatchedUser user) {
            return new UserView(
                    user.login(),
                    user.status(),
                    user.statusDetail(),
                    user.lastScanAt() == null ? null : user.lastScanAt().toInstant(),
                    user.gistCount(),
                    user.addedAt().toInstant(),
                    user.source());
        }
    }

    @GetMapping("/watched-users")
    @Operation(summary = "The watch list with each user's status, last scan and gist count")
    List<UserView> list() {
        return users.watched().stream().map(UserView::of).toList();
    }

    @GetMapping("/watched-users/{login}")
    @Operation(summary = "One watched user")
    UserView get(@PathVariable String login) {
        return users.find(GitHubLogins.key(login))
                .filter(WatchedUser::watched)
                .map(UserView::of)
                .orElseThrow(() -> ApiProblem.notFound("GitHub user " + login + " is not watched"));
    }

    @PostMapping("/watched-users")
    @Operation(summary = "Watch a GitHub user (409 if already watched, 422 if not a valid login)")
    ResponseEntity<UserView> watch(
            @io.swagger.v3.oas.annotations.parameters.RequestBody(
                            content = @Content(schema = @Schema(implementation = WatchRequest.class)))
                    @RequestBody
                    JsonNode body) {
        JsonInput input = JsonInput.of(body).onlyFields(List.of("login"), List.of());
        String login = input.string("login", 1, 39, true);
        if (login != null && !GitHubLogins.isValid(login)) {
            input.reject("login", GitHubLogins.RULE);
        }
        input.validate();
        WatchedUser added = watchList.watch(Objects.requireNonNull(login, "validated above"));
        return ResponseEntity.created(URI.create("/api/v1/github/watched-users/" + added.login()))
                .body(UserView.of(added));
    }

    @DeleteMapping("/watched-users/{login}")
    @Operation(summary = "Stop watching a GitHub user (its gists stay)")
    ResponseEntity<Void> unwatch(@PathVariable String login) {
        watchList.unwatch(login);
        return ResponseEntity.noContent().build();
    }

    @PostMapping("/scan")
    @Operation(summary = "Scan now: every watched user, or only ?login= (admin)")
    Map<String, Object> scan(@RequestParam(required = false) @Nullable String login) {
        long started = System.nanoTime();
        List<ScanOutcome> outcomes;
        if (login != null) {
            if (!GitHubLogins.isValid(login)) {
                throw ApiProblem.badParameter("login", GitHubLogins.RULE);
            }
            WatchedUser user = users.find(GitHubLogins.key(login))
                    .filter(WatchedUser::watched)
                    .orElseThrow(() -> ApiProblem.notFound("GitHub user " + login + " is not watched"));
            outcomes = List.of(scanner.scan(GitHubLogins.key(user.login()), user.login()));
        } else {
            outcomes = scanner.scanAll();
        }
        Map<String, Integer> statuses = new TreeMap<>();
        outcomes.forEach(o -> statuses.merge(o.status(), 1, Integer::sum));
        return Map.of(
                "scanned",
                outcomes.size(),
                "new_gists",
                outcomes.stream().mapToInt(ScanOutcome::newGists).sum(),
                "statuses",
                statuses,
                "duration_ms",
                Duration.ofNanos(System.nanoTime() - started).toMillis());
    }
}

package com.relaycrm.gistwatch.visits;

import com.relaycrm.gistwatch.watching.GistwatchProperties;
import com.relaycrm.gistwatch.watching.GitHubLogins;
import com.relaycrm.gistwatch.watching.WatchedUsers;
import com.relaycrm.platform.ApiProblem;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseCookie;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The seed's (PIPETEST) endpoints, paths and shapes kept. */
@RestController
@Tag(name = "Gist watch (seed)", description = "PIPETEST's endpoints")
class SeedController {

    static final String COOKIE = "gistwatch_session";

    private final WatchedUsers users;
    private final GistSessions sessions;
    private final GistwatchProperties properties;

    SeedController(WatchedUsers users, GistSessions sessions, GistwatchProperties properties) {
        this.users = users;
        this.sessions = sessions;
        this.properties = properties;
    }

    @GetMapping("/getAllScannedUsers")
    @Operation(summary = "Logins whose gists were ever scanned")
    List<String> allScannedUsers() {
        return users.everScannedLogins();
    }

    @GetMapping("/getCurrentlyScannedUsers")
    @Operation(summary = "The current watch list")
    List<String> currentlyScannedUsers() {
        return users.watchedLogins();
    }

    @GetMapping("/getGists")
    @Operation(summary = "Gist ids first seen since this session's previous call (all of them for a new session)")
    ResponseEntity<?> gists(
            @RequestParam(required = false) @Nullable String user,
            @RequestParam(required = false) @Nullable String format,
            HttpServletRequest request) {
        if (user != null && !GitHubLogins.isValid(user)) {
            throw ApiProblem.badParameter("user", GitHubLogins.RULE);
        }
        if (format != null && !format.equals("ids") && !format.equals("full")) {
            throw ApiProblem.badParameter("format", "must be ids or full");
        }
        GistSessions.Visit visit = sessions.visit(cookie(request), user == null ? null : GitHubLogins.key(user));
        ResponseCookie cookie = ResponseCookie.from(COOKIE, visit.token())
                .httpOnly(true)
                .sameSite("Lax")
                .secure(request.isSecure())
                .path("/")
                .maxAge(properties.sessionTtl())
                .build();
        Object body = "full".equals(format)
                ? visit.gists()
                : visit.gists().stream().map(GistSessions.GistView::id).toList();
        return ResponseEntity.ok()
                .header(HttpHeaders.SET_COOKIE, cookie.toString())
                .body(body);
    }

    private static @Nullable String cookie(HttpServletRequest request) {
        Cookie[] cookies = request.getCookies();
        if (cookies == null) {
            return null;
        }
        for (Cookie cookie : cookies) {
            if (COOKIE.equals(cookie.getName())) {
                return cookie.getValue();
            }
        }
        return null;
    }
}

package com.relaycrm.platform.security;

import com.relaycrm.platform.Actor;
import com.relaycrm.platform.ApiProblem;
import com.relaycrm.platform.web.ProblemMapper;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;
import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/** Resolves {@code Authorization: Bearer <token>} to an {@link Actor}; a bad token is a 401 at once. */
class BearerTokenFilter extends OncePerRequestFilter {

    private final ApiTokens tokens;
    private final ProblemMapper problems;

    BearerTokenFilter(ApiTokens tokens, ProblemMapper problems) {
        this.tokens = tokens;
        this.problems = problems;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (header == null || header.isBlank()) {
            chain.doFilter(request, response);
            return;
        }
        if (!header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            reject(request, response, "Use 'Authorization: Bearer <token>'");
            return;
        }
        Optional<Actor> actor;
        try {
            actor = tokens.authenticate(header.substring(7).trim());
        } catch (DataAccessException unavailable) {
            // The filter runs outside the MVC error handling: without this an exhausted pool or a database outage
            // while checking the token escaped as a 500 instead of the 503 problem every other route gives.
            problems.write(unavailable, request, response);
            return;
        }
        if (actor.isEmpty()) {
            reject(request, response, "The token is unknown or revoked");
            return;
        }
        var authorities = actor.get().roles().stream()
                .map(r -> new SimpleGrantedAuthority(r.authority()))
                .toList();
        var authentication = UsernamePasswordAuthenticationToken.authenticated(actor.get(), null, authorities);
        var context = SecurityContextHolder.createEmptyContext();
        context.setAuthentication(authentication);
        SecurityContextHolder.setContext(context);
        try {
            chain.doFilter(request, response);
        } finally {
            SecurityContextHolder.clearContext();
        }
    }

    /** SSE and other async responses are dispatched again; they need the same identity. */
    @Override
    protected boolean shouldNotFilterAsyncDispatch() {
        return false;
    }

    private void reject(HttpServletRequest request, HttpServletResponse response, String detail) throws IOException {
        problems.write(
                ApiProblem.unauthorized(detail).header(HttpHeaders.WWW_AUTHENTICATE, "Bearer error=\"invalid_token\""),
                request,
                response);
    }
}

package com.relaycrm.platform.security;

import com.relaycrm.platform.Actor;
import com.relaycrm.platform.ApiProblem;
import com.relaycrm.platform.RequestBudget;
import com.relaycrm.platform.web.ProblemMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Resolves {@code Authorization: Bearer <token>} to an {@link Actor}; a bad token is a 401 at once. Each failure is
 * charged to the caller's address ({@link RequestBudget#chargeAuthFailure}) and counted
 * ({@code relay.auth.failures}); an address whose failure budget is spent gets 429 for every bearer request until it
 * refills, before its token is even looked up, so guessing tokens is slow whichever answer a guess would get.
 */
class BearerTokenFilter extends OncePerRequestFilter {

    private static final int MAX_BLOCKED_ADDRESSES = 10_000;

    private final ApiTokens tokens;
    private final ProblemMapper problems;
    private final RequestBudget budget;
    private final Counter unknownTokens;
    private final Counter malformedHeaders;
    private final Counter refused;
    /** Address -> System.nanoTime() until which its bearer requests are refused (this instance's view). */
    private final Map<String, Long> blockedUntil = new ConcurrentHashMap<>();

    BearerTokenFilter(ApiTokens tokens, ProblemMapper problems, RequestBudget budget, MeterRegistry meters) {
        this.tokens = tokens;
        this.problems = problems;
        this.budget = budget;
        this.unknownTokens = failures(meters, "unknown_token");
        this.malformedHeaders = failures(meters, "malformed_header");
        this.refused = failures(meters, "rate_limited");
    }

    private static Counter failures(MeterRegistry meters, String reason) {
        return Counter.builder("relay.auth.failures")
                .description("Failed bearer authentications, by reason")
                .tag("reason", reason)
                .register(meters);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (header == null || header.isBlank()) {
            chain.doFilter(request, response);
            return;
        }
        String address = request.getRemoteAddr();
        // An async dispatch continues a response (an event stream) that was authorized when it began.
        boolean charged = request.getDispatcherType() != DispatcherType.ASYNC;
        Long until = charged ? blockedUntil.get(address) : null;
        if (until != null) {
            long left = until - System.nanoTime();
            if (left > 0) {
                refused.increment();
                tooMany(request, response, Math.max(1, TimeUnit.NANOSECONDS.toSeconds(left) + 1));
                return;
            }
            blockedUntil.remove(address, until);
        }
        if (!header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            malformedHeaders.increment();
            if (!charged || !chargeFailure(request, response, address)) {
                reject(request, response, "Use 'Authorization: Bearer <token>'");
            }
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
            unknownTokens.increment();
            if (!charged || !chargeFailure(request, response, address)) {
                reject(request, response, "The token is unknown or revoked");
            }
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

    /** True when the failure used up the address's budget and a 429 was written. */
    private boolean chargeFailure(HttpServletRequest request, HttpServletResponse response, String address)
            throws IOException {
        if (!budget.enabled()) {
            return false;
        }
        RequestBudget.Charge charge;
        try {
            charge = budget.chargeAuthFailure(address);
        } catch (RuntimeException bucketsUnavailable) {
            // Budgets live in PostgreSQL; so do tokens, so this request has just failed on a live database.
            return false;
        }
        if (charge.allowed()) {
            return false;
        }
        long retryAfter = Math.max(1, charge.retryAfterSeconds());
        if (blockedUntil.size() > MAX_BLOCKED_ADDRESSES) {
            blockedUntil.clear();
        }
        blockedUntil.put(address, System.nanoTime() + TimeUnit.SECONDS.toNanos(retryAfter));
        tooMany(request, response, retryAfter);
        return true;
    }

    private void tooMany(HttpServletRequest request, HttpServletResponse response, long retryAfter) throws IOException {
        problems.write(
                ApiProblem.tooManyRequests(
                        "Too many failed authentications from your address; retry after " + retryAfter + " s",
                        retryAfter),
                request,
                response);
    }

    private void reject(HttpServletRequest request, HttpServletResponse response, String detail) throws IOException {
        problems.write(
                ApiProblem.unauthorized(detail).header(HttpHeaders.WWW_AUTHENTICATE, "Bearer error=\"invalid_token\""),
                request,
                response);
    }
}

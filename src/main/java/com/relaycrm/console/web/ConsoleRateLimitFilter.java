package com.relaycrm.console.web;

import com.relaycrm.platform.Actor;
import com.relaycrm.platform.RequestBudget;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Charges console requests to the same budgets as the API: a signed-in session to its token's bucket (so a user's
 * console and API use share one budget), anyone else to their address, as the API's filter does. Runs after
 * {@link SessionActorFilter}, which has just checked the token is live.
 */
class ConsoleRateLimitFilter extends OncePerRequestFilter {

    /**
     * Console actions that do what an API route of a tighter group does are charged as that route, so the console is
     * no way around the import or upstream budgets.
     */
    private static final Map<String, String> SAME_AS_API = Map.of(
            "POST /console/imports", "/api/v1/atendimento/import_csv",
            "POST /console/github/profile", "/api/v1/aggregate");

    private final RequestBudget budget;

    ConsoleRateLimitFilter(RequestBudget budget) {
        this.budget = budget;
    }

    /** Static assets are public and cached; charging them would bill a page view three or four times. */
    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = request.getRequestURI();
        return !budget.enabled()
                || path.startsWith("/webjars/")
                || path.startsWith("/console/assets/")
                || path.equals("/favicon.ico");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String path =
                SAME_AS_API.getOrDefault(request.getMethod() + " " + request.getRequestURI(), request.getRequestURI());
        var authentication = SecurityContextHolder.getContext().getAuthentication();
        boolean signedIn = authentication != null && authentication.getPrincipal() instanceof Actor;
        RequestBudget.Charge charge;
        try {
            charge = authentication != null && authentication.getPrincipal() instanceof Actor actor
                    ? budget.chargeToken(actor.tokenId(), path)
                    : budget.chargeAddress(request.getRemoteAddr(), path);
        } catch (RuntimeException bucketsUnavailable) {
            // Budgets live in PostgreSQL; while it is unreachable the page itself reports the outage.
            chain.doFilter(request, response);
            return;
        }
        response.setHeader("RateLimit-Limit", Long.toString(charge.limit()));
        response.setHeader("RateLimit-Remaining", Long.toString(Math.max(0, charge.remaining())));
        response.setHeader("RateLimit-Reset", Long.toString(charge.resetSeconds()));
        if (!charge.allowed()) {
            long retryAfter = Math.max(1, charge.retryAfterSeconds());
            response.setHeader("Retry-After", Long.toString(retryAfter));
            ConsoleProblems.respond(
                    request,
                    response,
                    429,
                    "rate-limited",
                    "Too many requests",
                    (signedIn
                                    ? "Your token's budget of " + charge.limit() + " requests for '" + charge.group()
                                            + "' is used up (the console and the API share it)."
                                    : "Too many requests from your address (" + charge.limit() + " for '"
                                            + charge.group() + "').")
                            + " Try again in " + retryAfter + " s.");
            return;
        }
        chain.doFilter(request, response);
    }
}

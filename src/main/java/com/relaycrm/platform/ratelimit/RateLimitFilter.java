package com.relaycrm.platform.ratelimit;

import com.relaycrm.platform.Actor;
import com.relaycrm.platform.ApiProblem;
import com.relaycrm.platform.web.ProblemMapper;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/** Charges each request to its token's (or, unauthenticated, its IP's) bucket and reports the budget in headers. */
public class RateLimitFilter extends OncePerRequestFilter {

    private final RateLimiter limiter;
    private final ProblemMapper problems;

    RateLimitFilter(RateLimiter limiter, ProblemMapper problems) {
        this.limiter = limiter;
        this.problems = problems;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (!limiter.enabled()) {
            chain.doFilter(request, response);
            return;
        }
        RateLimiter.Decision decision;
        try {
            decision = limiter.consume(caller(request), limiter.groupFor(request.getRequestURI()));
        } catch (RuntimeException bucketsUnavailable) {
            // Budgets live in PostgreSQL; while it is unreachable the request itself reports the outage.
            chain.doFilter(request, response);
            return;
        }
        response.setHeader("RateLimit-Limit", Long.toString(decision.limit()));
        response.setHeader("RateLimit-Remaining", Long.toString(Math.max(0, decision.remaining())));
        response.setHeader("RateLimit-Reset", Long.toString(decision.resetSeconds()));
        if (!decision.allowed()) {
            problems.write(
                    ApiProblem.tooManyRequests(
                            "Rate limit of " + decision.limit() + " requests for '" + decision.group()
                                    + "' exceeded; retry after " + decision.retryAfterSeconds() + " s",
                            decision.retryAfterSeconds()),
                    request,
                    response);
            return;
        }
        chain.doFilter(request, response);
    }

    static String caller(HttpServletRequest request) {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication != null && authentication.getPrincipal() instanceof Actor actor) {
            return tokenKey(actor.tokenId());
        }
        return addressKey(request.getRemoteAddr());
    }

    static String tokenKey(long tokenId) {
        return "token:" + tokenId;
    }

    static String addressKey(String remoteAddress) {
        return "ip:" + remoteAddress;
    }
}

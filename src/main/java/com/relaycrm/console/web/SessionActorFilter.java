package com.relaycrm.console.web;

import com.relaycrm.platform.Actor;
import com.relaycrm.platform.TokenCheck;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.util.Optional;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Turns a console session into the request's {@link Actor}. The token is looked up on every request, so revoking
 * it ends its console sessions at their next request, on every instance.
 */
class SessionActorFilter extends OncePerRequestFilter {

    private final TokenCheck tokens;

    SessionActorFilter(TokenCheck tokens) {
        this.tokens = tokens;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        HttpSession session = request.getSession(false);
        Long tokenId = session == null ? null : ConsoleSession.tokenId(session);
        if (tokenId == null) {
            chain.doFilter(request, response);
            return;
        }
        Optional<Actor> actor = tokens.live(tokenId);
        if (actor.isEmpty()) {
            session.invalidate();
            request.setAttribute(ConsoleSession.ENDED, "revoked");
            chain.doFilter(request, response);
            return;
        }
        var authorities = actor.get().roles().stream()
                .map(r -> new SimpleGrantedAuthority(r.authority()))
                .toList();
        var context = SecurityContextHolder.createEmptyContext();
        context.setAuthentication(UsernamePasswordAuthenticationToken.authenticated(actor.get(), null, authorities));
        SecurityContextHolder.setContext(context);
        try {
            chain.doFilter(request, response);
        } finally {
            SecurityContextHolder.clearContext();
        }
    }

    /** The inbox's event stream is dispatched again asynchronously; it needs the same identity. */
    @Override
    protected boolean shouldNotFilterAsyncDispatch() {
        return false;
    }
}

package com.relaycrm.console.web;

import com.relaycrm.platform.Actor;
import com.relaycrm.platform.Role;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Locale;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The CSRF check reads the form's {@code _csrf} field, which for the import form makes the container parse the
 * whole multipart upload to disk. So an upload is refused first, without reading it, unless it comes from a signed-in
 * user who may import (ADMIN or AGENT). Runs after {@link SessionActorFilter}, before the CSRF filter.
 */
class UploadGateFilter extends OncePerRequestFilter {

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String type = request.getContentType();
        return type == null || !type.toLowerCase(Locale.ROOT).startsWith("multipart/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        var authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication == null || !(authentication.getPrincipal() instanceof Actor actor)) {
            ConsoleSecurity.signInFirst(request, response, null);
            return;
        }
        if (!actor.hasAny(Role.ADMIN, Role.AGENT)) {
            ConsoleSecurity.denied(request, response, false);
            return;
        }
        chain.doFilter(request, response);
    }
}

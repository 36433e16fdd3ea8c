package com.relaycrm.console.web;

import com.relaycrm.platform.Actor;
import com.relaycrm.platform.Role;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What a console session keeps: the token's id and the actor's name and roles, never the token secret. Attributes
 * are plain serializable values because Spring Session JDBC stores them with Java serialization.
 */
final class ConsoleSession {

    static final String TOKEN_ID = "relay.console.token_id";
    static final String USERNAME = "relay.console.username";
    static final String ROLES = "relay.console.roles";
    /** Request attribute: why a session just ended (shown on the sign-in page). */
    static final String ENDED = "relay.console.ended";

    private ConsoleSession() {}

    /** Starts a fresh session for {@code actor}; an earlier (anonymous) session is dropped, so its id cannot be fixed. */
    static void start(HttpServletRequest request, Actor actor) {
        HttpSession old = request.getSession(false);
        if (old != null) {
            old.invalidate();
        }
        HttpSession session = request.getSession(true);
        session.setAttribute(TOKEN_ID, actor.tokenId());
        session.setAttribute(USERNAME, actor.username());
        session.setAttribute(
                ROLES,
                new ArrayList<>(actor.roles().stream().map(Role::name).sorted().toList()));
    }

    static @Nullable Long tokenId(HttpSession session) {
        return session.getAttribute(TOKEN_ID) instanceof Long id ? id : null;
    }

    static List<String> roles(HttpSession session) {
        return session.getAttribute(ROLES) instanceof List<?> roles
                ? roles.stream().map(String::valueOf).toList()
                : List.of();
    }
}

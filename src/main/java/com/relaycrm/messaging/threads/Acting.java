package com.relaycrm.messaging.threads;

import com.relaycrm.platform.Actor;
import com.relaycrm.platform.ApiProblem;
import com.relaycrm.platform.Role;

/** Identity rules: a token acts as its own username; ADMIN and MESSAGING_SERVICE tokens may act as anyone. */
final class Acting {

    private Acting() {}

    static boolean onBehalfOfAnyone(Actor actor) {
        return actor.hasAny(Role.ADMIN, Role.MESSAGING_SERVICE);
    }

    static boolean mayActAs(Actor actor, String username) {
        return onBehalfOfAnyone(actor) || actor.username().equals(username);
    }

    static void requireActingAs(Actor actor, String username) {
        if (!mayActAs(actor, username)) {
            throw ApiProblem.forbidden(
                    "Your token acts as '" + actor.username() + "' and may not act on behalf of another user");
        }
    }
}

package com.relaycrm.platform;

import java.util.Optional;

/**
 * Token checks for callers that do not send a bearer header on every request (the web console's sign-in and its
 * session): the same rules as the API's bearer filter, read from the database each time so a revocation holds at
 * once.
 */
public interface TokenCheck {

    /** The actor of a live token secret, as the bearer filter would see it. */
    Optional<Actor> authenticate(String secret);

    /** The actor of token {@code tokenId} while it is not revoked. */
    Optional<Actor> live(long tokenId);
}

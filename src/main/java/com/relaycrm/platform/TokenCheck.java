package com.relaycrm.platform;

import java.util.Collection;
import java.util.Optional;
import java.util.Set;

/**
 * Token checks for callers that do not send a bearer header on every request (the web console's sign-in and its
 * session, event streams that stay open): the same rules as the API's bearer filter, read from the database each time so a revocation holds at
 * once.
 */
public interface TokenCheck {

    /** The actor of a live token secret, as the bearer filter would see it. */
    Optional<Actor> authenticate(String secret);

    /** The actor of token {@code tokenId} while it is not revoked. */
    Optional<Actor> live(long tokenId);

    /** Of {@code tokenIds}, the ones not revoked: one query for many holders (open event streams). */
    Set<Long> liveAmong(Collection<Long> tokenIds);
}

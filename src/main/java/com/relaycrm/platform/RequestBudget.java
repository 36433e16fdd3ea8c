package com.relaycrm.platform;

/**
 * The API's request budgets ({@code RELAY_RATELIMIT_*}) for requests that do not pass the bearer chain (the web
 * console): a token's budget is the same bucket whether it is spent through the API or a console session.
 */
public interface RequestBudget {

    boolean enabled();

    /** Charges one request of token {@code tokenId} to the route group of {@code apiPath}. */
    Charge chargeToken(long tokenId, String apiPath);

    /** Charges one request without a token to its client address, as the API does. */
    Charge chargeAddress(String remoteAddress, String apiPath);

    /**
     * Charges one failed bearer authentication to the caller's address, in the {@code auth-failure} group
     * ({@code RELAY_RATELIMIT_GROUPS_AUTHFAILURE_CAPACITY}, default 30 a minute), so tokens cannot be guessed fast.
     */
    Charge chargeAuthFailure(String remoteAddress);

    record Charge(
            boolean allowed, String group, long limit, long remaining, long resetSeconds, long retryAfterSeconds) {}
}

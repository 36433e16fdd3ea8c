/**
 * Clients for the upstream services Relay talks to: GitHub, Bitbucket and Pipedrive (auth, pagination, ETags,
 * rate limits, retries). Other modules use the client types in this root package.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Integrations")
@org.jspecify.annotations.NullMarked
package com.relaycrm.integrations;

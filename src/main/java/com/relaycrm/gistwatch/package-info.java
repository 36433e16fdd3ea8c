/**
 * Gist watch (seed 000, PIPETEST): watched GitHub users are scanned on a persistent schedule, their new public gists
 * are stored once and each becomes exactly one Pipedrive deal through an outbox; the seed's {@code /getGists}
 * "since my last visit" sessions live in PostgreSQL.
 */
@org.springframework.modulith.ApplicationModule(
        displayName = "Gist watch",
        allowedDependencies = {"platform", "integrations"})
@org.jspecify.annotations.NullMarked
package com.relaycrm.gistwatch;

/**
 * Developer profiles: one merged GitHub + Bitbucket profile per name (seed 001's {@code /api/v1/aggregate}), cached
 * per provider in PostgreSQL.
 */
@org.springframework.modulith.ApplicationModule(
        displayName = "Profiles",
        allowedDependencies = {"platform", "integrations"})
@org.jspecify.annotations.NullMarked
package com.relaycrm.profiles;

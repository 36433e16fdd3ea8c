/**
 * What every module stands on: embedded or external PostgreSQL, API tokens and roles, problem+json errors,
 * request logging, OpenAPI and health. The root package is the public face other modules may use.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Platform")
@org.jspecify.annotations.NullMarked
package com.relaycrm.platform;

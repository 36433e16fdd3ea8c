/**
 * The server-rendered web console at {@code /} and {@code /console/**}: a PostgreSQL-backed session signed in with
 * an API token, Thymeleaf pages with htmx for partial updates, and Chart.js, all served from the jar. It calls
 * other modules through their root-package facades only, with the same role rules as the API.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Console")
@org.jspecify.annotations.NullMarked
package com.relaycrm.console;

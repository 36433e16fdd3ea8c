/**
 * One search over the modules ({@code GET /api/v1/search}): each module finds its own rows through its facade (sales:
 * employees, leads, customers; messaging: messages; field service: visits); this module asks the ones the caller's
 * roles may read, merges the ranked hits and marks the match in each snippet.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Search")
@org.jspecify.annotations.NullMarked
package com.relaycrm.search;

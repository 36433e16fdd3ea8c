package com.relaycrm.search.web;

import com.relaycrm.platform.Actor;
import com.relaycrm.search.SearchApi;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Search", description = "One search over leads, customers, employees, messages and visits")
class SearchController {

    private final SearchApi search;

    SearchController(SearchApi search) {
        this.search = search;
    }

    @GetMapping("/api/v1/search")
    @Operation(
            summary = "Ranked hits across modules for q (2-499 characters): words and word prefixes, accents "
                    + "ignored; for names, e-mails and phones also fragments and one-letter typos. types "
                    + "(comma-separated lead, customer, employee, message, visit) defaults to all the caller may "
                    + "read; messages only from threads the caller takes part in (MESSAGING_SERVICE: all); limit "
                    + "1-100 (20)")
    SearchApi.Result search(
            @RequestParam(required = false) @Nullable String q,
            @RequestParam(required = false) @Nullable String types,
            @RequestParam(required = false) @Nullable String limit) {
        return search.search(Actor.current(), q, types, limit);
    }
}

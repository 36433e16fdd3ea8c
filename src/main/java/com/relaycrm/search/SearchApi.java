package com.relaycrm.search;

import com.relaycrm.platform.Actor;
import java.math.BigDecimal;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** One search over the modules, as {@code GET /api/v1/search} answers it; the console's search box uses it too. */
public interface SearchApi {

    List<String> TYPES = List.of("lead", "customer", "employee", "message", "visit");

    /**
     * The best hits for {@code actor} across the types asked for (all it may read when {@code types} is null),
     * best first. Bad parameters are 400 problems naming them: {@code q} of 2-499 characters, {@code types} a
     * comma-separated list of {@link #TYPES}, {@code limit} 1-100 (default 20).
     */
    Result search(Actor actor, @Nullable String q, @Nullable String types, @Nullable String limit);

    /**
     * One hit; {@code snippet} is HTML (escaped, the match in {@code <mark>}), {@code title} plain text, {@code url}
     * the API resource; {@code threadId} only for messages.
     */
    record Hit(
            String type,
            String id,
            String title,
            String snippet,
            BigDecimal score,
            String url,

            @com.fasterxml.jackson.annotation.JsonIgnore @Nullable
            String threadId) {}

    /** {@code types}: those searched (asked for and readable by the caller). */
    record Result(String q, List<String> types, List<Hit> hits) {}
}

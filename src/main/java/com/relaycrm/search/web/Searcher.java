package com.relaycrm.search.web;

import com.relaycrm.fieldservice.FieldServiceApi;
import com.relaycrm.messaging.MessagingApi;
import com.relaycrm.platform.Actor;
import com.relaycrm.platform.ApiProblem;
import com.relaycrm.platform.Role;
import com.relaycrm.platform.SearchTerms;
import com.relaycrm.sales.LeadsApi;
import com.relaycrm.search.SearchApi;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;

/** {@link SearchApi}: asks each module's facade for the types the caller may read and merges the hits. */
@Service
class Searcher implements SearchApi {
    private static final int DEFAULT_LIMIT = 20;
    private static final int MAX_LIMIT = 100;

    private final LeadsApi sales;
    private final MessagingApi messaging;
    private final FieldServiceApi fieldService;

    Searcher(LeadsApi sales, MessagingApi messaging, FieldServiceApi fieldService) {
        this.sales = sales;
        this.messaging = messaging;
        this.fieldService = fieldService;
    }

    @Override
    public Result search(Actor actor, @Nullable String q, @Nullable String types, @Nullable String limit) {
        SearchTerms terms = SearchTerms.required("q", q);
        Set<String> asked = types(types);
        int size = limit(limit);
        Set<String> readable = readable(actor);
        asked.retainAll(readable);
        List<Hit> hits = new ArrayList<>();
        Set<String> salesKinds = new LinkedHashSet<>(asked);
        salesKinds.retainAll(Set.of(LeadsApi.SalesHit.LEAD, LeadsApi.SalesHit.CUSTOMER, LeadsApi.SalesHit.EMPLOYEE));
        if (!salesKinds.isEmpty()) {
            for (LeadsApi.SalesHit hit : sales.search(terms, salesKinds, size)) {
                hits.add(new Hit(
                        hit.kind(),
                        Long.toString(hit.id()),
                        hit.title(),
                        snippet(hit.text(), terms),
                        score(hit.score()),
                        "/" + hit.kind() + "s/" + hit.id(),
                        null));
            }
        }
        if (asked.contains("message")) {
            boolean everyThread = actor.has(Role.MESSAGING_SERVICE);
            for (MessagingApi.MessageHit hit : messaging.search(terms, actor.username(), everyThread, size)) {
                hits.add(new Hit(
                        "message",
                        hit.messageId(),
                        hit.username(),
                        snippet(hit.text(), terms),
                        score(hit.score()),
                        hit.url(),
                        hit.threadId()));
            }
        }
        if (asked.contains("visit")) {
            for (FieldServiceApi.VisitHit hit : fieldService.search(terms, size)) {
                String number = hit.idAtendimento() == null
                        ? "#" + hit.id()
                        : hit.idAtendimento().toString();
                String text = "Atendimento " + number + " · cliente " + hit.idCliente() + " · " + hit.angel() + " · "
                        + hit.polo() + " · " + hit.status() + " · " + hit.dataLimite();
                hits.add(new Hit(
                        "visit",
                        Long.toString(hit.id()),
                        "Atendimento " + number,
                        snippet(text, terms),
                        score(hit.score()),
                        "/api/v1/atendimento/" + hit.id(),
                        null));
            }
        }
        hits.sort(Comparator.comparing(Hit::score).reversed());
        return new Result(
                terms.text(),
                TYPES.stream().filter(asked::contains).toList(),
                hits.subList(0, Math.min(size, hits.size())));
    }

    /** The API's read rules (RouteAccess of sales, messaging and field service) for the caller's roles. */
    static Set<String> readable(Actor actor) {
        Set<String> types = new LinkedHashSet<>();
        if (actor.hasAny(Role.SALES, Role.ADMIN, Role.VIEWER, Role.AGENT)) {
            types.addAll(List.of("lead", "customer", "employee"));
        }
        types.add("message");
        types.add("visit");
        return types;
    }

    private static Set<String> types(@Nullable String types) {
        if (types == null || types.isBlank()) {
            return new LinkedHashSet<>(TYPES);
        }
        Set<String> asked = new LinkedHashSet<>();
        for (String type : types.split(",", -1)) {
            String name = type.strip();
            if (!TYPES.contains(name)) {
                throw ApiProblem.badParameter("types", "must be a comma-separated list of " + String.join(", ", TYPES));
            }
            asked.add(name);
        }
        return asked;
    }

    private static int limit(@Nullable String limit) {
        if (limit == null || limit.isBlank()) {
            return DEFAULT_LIMIT;
        }
        try {
            int value = Integer.parseInt(limit.strip());
            if (value >= 1 && value <= MAX_LIMIT) {
                return value;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ApiProblem.badParameter("limit", "must be an integer between 1 and " + MAX_LIMIT);
    }

    private static String snippet(String text, SearchTerms terms) {
        return Snippets.of(text, terms.text(), terms.words());
    }

    private static BigDecimal score(double score) {
        return BigDecimal.valueOf(score).setScale(4, java.math.RoundingMode.HALF_UP);
    }
}

package com.relaycrm.sales.shared;

import com.relaycrm.platform.SearchTerms;
import com.relaycrm.sales.LeadsApi.SalesHit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Search over employees, leads and customers ({@code V2_2__sales_search.sql}): words and word prefixes through
 * {@code search_doc}, fragments (e-mails, phone digits) and one-letter typos through the trigram {@code search_text}.
 */
@Service
public class SalesSearch {

    /**
     * A typo'd word ("marja" for "maria") scores 0.5 word similarity, a different name ("jose" for "joao") 0.4;
     * PostgreSQL's default (0.6) would miss the first.
     */
    static final String TYPO_THRESHOLD = "0.45";

    private final JdbcClient jdbc;

    SalesSearch(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * The list filter {@code q}: contains the text (case- and accent-insensitive) or has every word as a word
     * prefix. Adds its parameters to {@code params}; {@code alias} is the table's alias with its dot, or empty.
     */
    public static String listCondition(String alias, SearchTerms q, Map<String, Object> params) {
        params.put("q_like", q.likePattern());
        String words = q.prefixQuery();
        if (words == null) {
            return "(" + alias + "search_text LIKE public.relay_search_text(:q_like))";
        }
        params.put("q_words", words);
        return "(" + alias + "search_text LIKE public.relay_search_text(:q_like) OR " + alias
                + "search_doc @@ to_tsquery('public.relay_search', :q_words))";
    }

    /**
     * The best {@code limit} hits of each kind asked for, best first. Exact matches first: every word as a word
     * prefix (0.4), as a whole word (+0.3), the whole text as a fragment (+0.3), all read from the row and its index
     * entries. Only when those leave room, one-letter typos by trigram word similarity (0.6 x similarity, below
     * every exact match): computing similarity for each of thousands of rows matching "maria" cost 0.4 s at 100k
     * customers, and a typo search is for when nothing matches as typed.
     */
    @Transactional(readOnly = true)
    public List<SalesHit> search(SearchTerms q, Set<String> kinds, int limit) {
        jdbc.sql("SELECT set_config('pg_trgm.word_similarity_threshold', '" + TYPO_THRESHOLD + "', true)")
                .query()
                .singleValue();
        List<SalesHit> hits = new ArrayList<>();
        if (kinds.contains(SalesHit.LEAD)) {
            hits.addAll(query(
                    SalesHit.LEAD,
                    "sales_lead x",
                    "x.name || ' · ' || x.contact_email || ' · ' || x.status",
                    "x.deleted_at IS NULL",
                    q,
                    limit));
        }
        if (kinds.contains(SalesHit.CUSTOMER)) {
            hits.addAll(query(
                    SalesHit.CUSTOMER,
                    "sales_customer x",
                    "concat_ws(' · ', x.name, x.contact_email, x.phone_number, x.address)",
                    "x.deleted_at IS NULL",
                    q,
                    limit));
        }
        if (kinds.contains(SalesHit.EMPLOYEE)) {
            hits.addAll(query(
                    SalesHit.EMPLOYEE,
                    "sales_employee x",
                    "x.name || ' · ' || x.email || ' · ' || x.role",
                    "TRUE",
                    q,
                    limit));
        }
        hits.sort(Comparator.comparingDouble(SalesHit::score).reversed());
        return hits;
    }

    private List<SalesHit> query(String kind, String table, String text, String live, SearchTerms q, int limit) {
        @Nullable String words = q.prefixQuery();
        String prefixes = words == null ? "FALSE" : "x.search_doc @@ to_tsquery('public.relay_search', :words)";
        String whole = words == null ? "FALSE" : "x.search_doc @@ to_tsquery('public.relay_search', :whole_words)";
        String fragment = "x.search_text LIKE public.relay_search_text(:like)";
        Map<String, Object> params = new HashMap<>();
        params.put("like", q.likePattern());
        params.put("limit", limit);
        if (words != null) {
            params.put("words", words);
            params.put("whole_words", words.replace(":*", ""));
        }
        List<SalesHit> hits = new ArrayList<>(jdbc.sql("SELECT x.id, x.name, " + text + " AS text, (CASE WHEN "
                        + prefixes + " THEN 0.4 ELSE 0 END + CASE WHEN " + whole + " THEN 0.3 ELSE 0 END + CASE WHEN "
                        + fragment + " THEN 0.3 ELSE 0 END) AS score FROM " + table + " WHERE " + live + " AND ("
                        + prefixes + " OR " + fragment + ") ORDER BY score DESC, x.id DESC LIMIT :limit")
                .params(params)
                .query((rs, row) -> hit(kind, rs))
                .list());
        String typos = q.typoCondition("x.search_text", params);
        if (hits.size() < limit && typos != null) {
            params.put("text", q.text());
            params.put("limit", limit - hits.size());
            hits.addAll(jdbc.sql("SELECT x.id, x.name, " + text + " AS text, round((0.6 * word_similarity("
                            + "public.relay_search_text(:text), x.search_text))::numeric, 4) AS score FROM " + table
                            + " WHERE " + live + " AND " + typos + " AND NOT (" + prefixes + " OR " + fragment
                            + ") ORDER BY score DESC, x.id DESC LIMIT :limit")
                    .params(params)
                    .query((rs, row) -> hit(kind, rs))
                    .list());
        }
        return hits;
    }

    private static SalesHit hit(String kind, java.sql.ResultSet rs) throws java.sql.SQLException {
        return new SalesHit(kind, rs.getLong("id"), rs.getString("name"), rs.getString("text"), rs.getDouble("score"));
    }
}

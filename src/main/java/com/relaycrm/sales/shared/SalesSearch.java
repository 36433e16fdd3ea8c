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
 * {@code search_doc}, fragments (e-mails, phone digits) and one-letter typos through the trigram {@code search_text};
 * a single typo'd word is first corrected against the word list of {@code V2_3__sales_search_words.sql}.
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
     * prefix (0.4), as a whole word (+0.3), the whole text as a fragment (+0.3), newest first among equals. Only when
     * those leave room, one-letter typos (0.6 x word similarity, below every exact match): a single word is corrected
     * against {@code sales_search_word} ({@code V2_3__sales_search_words.sql}) and scores 0.6 x its similarity to the
     * word it was corrected to, which is its word similarity to the row's text; several words are compared with each
     * candidate row's text.
     */
    @Transactional(readOnly = true)
    public List<SalesHit> search(SearchTerms q, Set<String> kinds, int limit) {
        // custom plans: how common a word is decides between the primary key and the GIN indexes (see ranked)
        jdbc.sql("SELECT set_config('pg_trgm.word_similarity_threshold', '" + TYPO_THRESHOLD + "', true),"
                        + " set_config('plan_cache_mode', 'force_custom_plan', true),"
                        + " set_config('max_parallel_workers_per_gather', '0', true)")
                .query()
                .listOfRows();
        Search search = new Search(q, limit);
        List<SalesHit> hits = new ArrayList<>();
        if (kinds.contains(SalesHit.LEAD)) {
            hits.addAll(search.kind(
                    SalesHit.LEAD,
                    "sales_lead x",
                    "x.name || ' · ' || x.contact_email || ' · ' || x.status",
                    "x.deleted_at IS NULL"));
        }
        if (kinds.contains(SalesHit.CUSTOMER)) {
            hits.addAll(search.kind(
                    SalesHit.CUSTOMER,
                    "sales_customer x",
                    "concat_ws(' · ', x.name, x.contact_email, x.phone_number, x.address)",
                    "x.deleted_at IS NULL"));
        }
        if (kinds.contains(SalesHit.EMPLOYEE)) {
            hits.addAll(search.kind(
                    SalesHit.EMPLOYEE, "sales_employee x", "x.name || ' · ' || x.email || ' · ' || x.role", "TRUE"));
        }
        hits.sort(Comparator.comparingDouble(SalesHit::score).reversed());
        return hits;
    }

    /** How many of the newest rows are read first; a score with fewer hits among them is looked up in the index. */
    static final int WINDOW = 1000;

    /** A score and the condition of the rows that have it (conditions of one list exclude each other). */
    private record Tier(double score, String condition) {}

    /** Tiers and the condition of their rows together (one index condition instead of each tier's). */
    private record Tiers(List<Tier> tiers, String any) {}

    /** The text as a fragment of the row's search text. */
    private static final String FRAGMENT = "x.search_text LIKE public.relay_search_text(:like)";

    /** One search over the three tables: its parameters, and the typo corrections once looked up. */
    private final class Search {
        private final SearchTerms q;
        private final int limit;
        private final @Nullable String words;
        private final String prefixes;
        private final List<Tier> exactTiers = new ArrayList<>();
        private final Tiers exact;
        private final Map<String, Object> params = new HashMap<>();
        private @Nullable Tiers typos;

        Search(SearchTerms q, int limit) {
            this.q = q;
            this.limit = limit;
            this.words = q.prefixQuery();
            params.put("like", q.likePattern());
            if (words == null) {
                prefixes = "FALSE";
                exactTiers.add(new Tier(0.3, FRAGMENT));
                exact = new Tiers(exactTiers, FRAGMENT);
                return;
            }
            params.put("words", words);
            params.put("whole_words", words.replace(":*", ""));
            prefixes = "x.search_doc @@ to_tsquery('public.relay_search', :words)";
            String whole = "x.search_doc @@ to_tsquery('public.relay_search', :whole_words)";
            String p = prefixes;
            String w = whole;
            String f = FRAGMENT;
            exactTiers.add(new Tier(1.0, p + " AND " + w + " AND " + f));
            exactTiers.add(new Tier(0.7, p + " AND (" + w + " OR " + f + ") AND NOT (" + w + " AND " + f + ")"));
            exactTiers.add(new Tier(0.4, p + " AND NOT " + w + " AND NOT " + f));
            exactTiers.add(new Tier(0.3, f + " AND NOT " + p));
            exact = new Tiers(exactTiers, "(" + p + " OR " + f + ")");
        }

        List<SalesHit> kind(String kind, String table, String text, String live) {
            List<SalesHit> hits = ranked(kind, table, text, live, exact, params, limit);
            if (hits.size() >= limit || q.words().isEmpty() || q.digitsOnly()) {
                return hits;
            }
            String notExact = " AND NOT (" + prefixes + " OR " + FRAGMENT + ")";
            if (q.words().size() == 1) {
                Tiers typos = typos();
                List<Tier> corrected = new ArrayList<>();
                for (Tier tier : typos.tiers()) {
                    corrected.add(new Tier(tier.score(), tier.condition() + notExact));
                }
                hits.addAll(ranked(
                        kind,
                        table,
                        text,
                        live,
                        new Tiers(corrected, typos.any() + notExact),
                        params,
                        limit - hits.size()));
                return hits;
            }
            // several words: each a one-letter typo of a word of the row, ranked by the text's word similarity
            Map<String, Object> values = new HashMap<>(params);
            String condition = q.typoCondition("x.search_text", values);
            values.put("text", q.text());
            values.put("limit", limit - hits.size());
            hits.addAll(jdbc.sql("SELECT x.id, x.name, " + text + " AS text, round((0.6 * word_similarity("
                            + "public.relay_search_text(:text), x.search_text))::numeric, 4) AS score FROM " + table
                            + " WHERE " + live + " AND " + condition + notExact
                            + " ORDER BY score DESC, x.id DESC LIMIT :limit")
                    .params(values)
                    .query((rs, row) -> hit(kind, rs, rs.getDouble("score")))
                    .list());
            return hits;
        }

        /**
         * The known words the single word of {@code q} is a one-letter typo of, by similarity: one tier per
         * similarity, each matching rows that have one of its words as a whole word and no word of a better tier.
         */
        private Tiers typos() {
            if (typos != null) {
                return typos;
            }
            Map<Double, List<String>> bySimilarity = new java.util.TreeMap<>(Comparator.reverseOrder());
            jdbc.sql("SELECT DISTINCT word, round(word_similarity(w, word)::numeric, 4) AS s"
                            + " FROM sales_search_word, public.relay_search_text(:typo) w WHERE w <% word")
                    .param("typo", q.words().getFirst())
                    .query((rs, row) -> bySimilarity
                            .computeIfAbsent(rs.getDouble("s"), s -> new ArrayList<>())
                            .add(rs.getString("word")))
                    .list();
            List<Tier> tiers = new ArrayList<>();
            List<String> all = new ArrayList<>();
            StringBuilder better = new StringBuilder();
            int i = 0;
            for (Map.Entry<Double, List<String>> entry : bySimilarity.entrySet()) {
                String name = "typo" + i++;
                params.put(name, wholeWord(entry.getValue()));
                all.addAll(entry.getValue());
                String condition = "x.search_text ~ :" + name + better;
                tiers.add(new Tier(
                        java.math.BigDecimal.valueOf(0.6 * entry.getKey())
                                .setScale(4, java.math.RoundingMode.HALF_UP)
                                .doubleValue(),
                        condition));
                better.append(" AND x.search_text !~ :").append(name);
            }
            params.put("typo_any", wholeWord(all));
            typos = new Tiers(tiers, all.isEmpty() ? "FALSE" : "x.search_text ~ :typo_any");
            return typos;
        }
    }

    /**
     * A regular expression matching any of {@code words} as a whole word of a search text (words are letter runs,
     * see the migration); characters other than letters and digits are escaped, so a word is never syntax.
     */
    static String wholeWord(List<String> words) {
        StringBuilder alternatives = new StringBuilder();
        for (String word : words) {
            if (!alternatives.isEmpty()) {
                alternatives.append('|');
            }
            word.codePoints().forEach(c -> {
                if (!Character.isLetterOrDigit(c)) {
                    alternatives.append('\\');
                }
                alternatives.appendCodePoint(c);
            });
        }
        return "(^|[^[:alpha:]])(" + alternatives + ")([^[:alpha:]]|$)";
    }

    /**
     * The best {@code limit} rows of {@code tiers}, by tier, newest first within one. GIN finds rows in no order, so
     * fetching and sorting every match of a common word ("maria": 5 % of the rows, 5,000 at 100k) read thousands of
     * rows. Instead the newest {@link #WINDOW} rows are read first through the primary key: a tier with enough hits
     * among them has its newest hits there. A tier rare there is looked up through the GIN indexes, which then return
     * few rows; when the window held fewer than {@code limit} hits in all, every remaining tier is read in one such
     * query. (The planner cannot make this choice itself: it estimates a prefix query at a fixed 2 %.)
     */
    private List<SalesHit> ranked(
            String kind, String table, String text, String live, Tiers ranks, Map<String, Object> params, int limit) {
        List<Tier> tiers = ranks.tiers();
        if (tiers.isEmpty()) {
            return List.of();
        }
        StringBuilder which = new StringBuilder("CASE");
        for (int i = 0; i < tiers.size(); i++) {
            which.append(" WHEN ")
                    .append(tiers.get(i).condition())
                    .append(" THEN ")
                    .append(i);
        }
        which.append(" END");
        Map<String, Object> values = new HashMap<>(params);
        values.put("limit", limit);
        Map<Integer, List<SalesHit>> recent = new HashMap<>();
        int seen = 0;
        for (Map.Entry<Integer, SalesHit> hit : jdbc.sql(
                        "SELECT id, name, text, tier FROM (SELECT id, name, text, tier,"
                                + " row_number() OVER (PARTITION BY tier ORDER BY id DESC) AS n FROM (SELECT x.id, x.name, "
                                + text + " AS text, " + which + " AS tier FROM (SELECT * FROM " + table + " WHERE "
                                + live
                                + " ORDER BY x.id DESC LIMIT " + WINDOW + ") x) y WHERE tier IS NOT NULL) z"
                                + " WHERE n <= :limit ORDER BY tier, id DESC")
                .params(values)
                .query((rs, row) -> Map.entry(
                        rs.getInt("tier"),
                        hit(kind, rs, tiers.get(rs.getInt("tier")).score())))
                .list()) {
            recent.computeIfAbsent(hit.getKey(), t -> new ArrayList<>()).add(hit.getValue());
            seen++;
        }
        List<SalesHit> hits = new ArrayList<>();
        for (int i = 0; i < tiers.size() && hits.size() < limit; i++) {
            int needed = limit - hits.size();
            List<SalesHit> found = recent.getOrDefault(i, List.of());
            if (found.size() >= needed) {
                hits.addAll(found.subList(0, needed));
                continue;
            }
            values.put("limit", needed);
            if (seen < limit) {
                // rare among the newest rows: the remaining tiers together, from the indexes
                values.put("from_tier", i);
                hits.addAll(jdbc.sql("SELECT id, name, text, tier FROM (SELECT x.id, x.name, " + text + " AS text, "
                                + which + " AS tier FROM " + table + " WHERE " + live + " AND " + ranks.any()
                                + ") y WHERE tier >= :from_tier ORDER BY tier, id DESC LIMIT :limit")
                        .params(values)
                        .query((rs, row) ->
                                hit(kind, rs, tiers.get(rs.getInt("tier")).score()))
                        .list());
                break;
            }
            Tier tier = tiers.get(i);
            // "id + 0": not the primary key's order, which would be a scan of the table for a rare word
            hits.addAll(jdbc.sql("SELECT x.id, x.name, " + text + " AS text FROM " + table + " WHERE " + live + " AND "
                            + tier.condition() + " ORDER BY x.id + 0 DESC LIMIT :limit")
                    .params(values)
                    .query((rs, row) -> hit(kind, rs, tier.score()))
                    .list());
        }
        return hits;
    }

    private static SalesHit hit(String kind, java.sql.ResultSet rs, double score) throws java.sql.SQLException {
        return new SalesHit(kind, rs.getLong("id"), rs.getString("name"), rs.getString("text"), score);
    }
}

package com.relaycrm.fieldservice.visits;

import com.relaycrm.fieldservice.FieldServiceApi.VisitHit;
import com.relaycrm.platform.SearchTerms;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Visits by text ({@code V4_4__fieldservice_search.sql}): a number is an atendimento or client id, anything else the
 * name (or a fragment, or a one-letter typo of it) of the visit's angel or polo.
 */
@Service
class VisitTextSearch {

    /** As in sales: a one-letter typo of a name scores 0.5 word similarity, a different name 0.4. */
    private static final String TYPO_THRESHOLD = "0.45";

    private final JdbcClient jdbc;

    VisitTextSearch(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The list filter {@code q}: the atendimento or client id, or a fragment of the angel's or polo's name. */
    static String listCondition(SearchTerms q, Map<String, Object> values) {
        values.put("q_like", q.likePattern());
        // names resolved to ids first, so the list's count and its per-name pages read the visits alone
        String names = "v.angel_id IN (SELECT id FROM fieldservice_angel"
                + " WHERE public.relay_search_text(name) LIKE public.relay_search_text(:q_like))"
                + " OR v.polo_id IN (SELECT id FROM fieldservice_polo"
                + " WHERE public.relay_search_text(name) LIKE public.relay_search_text(:q_like))";
        Long number = number(q);
        if (number == null) {
            return "(" + names + ")";
        }
        values.put("q_number", number);
        return "(v.id_atendimento = :q_number OR v.id_cliente = :q_number OR " + names + ")";
    }

    private static @Nullable Long number(SearchTerms q) {
        if (!q.numeric() || q.text().length() > 18) {
            return null;
        }
        return Long.valueOf(q.text());
    }

    /**
     * The best {@code limit} live visits: the most recently recorded visits of the ten best-matching angels and polos (their (angel_id, id) and (polo_id, id) indexes), the
     * visits of a client, the atendimento. Score: 1 for the atendimento id, 0.9 for the client id, 0.2 + 0.6 x the
     * angel name's word similarity, 0.15 + 0.6 x the polo's; the latest deadline first among equals.
     */
    @Transactional(readOnly = true)
    List<VisitHit> search(SearchTerms q, int limit) {
        jdbc.sql("SELECT set_config('pg_trgm.word_similarity_threshold', '" + TYPO_THRESHOLD + "', true)")
                .query()
                .singleValue();
        Map<String, Object> params = new HashMap<>();
        String angelTypos = q.typoCondition("public.relay_search_text(name)", params);
        String typos = angelTypos == null ? "" : " OR " + angelTypos;
        return jdbc.sql("""
                WITH angels AS (
                    SELECT id, word_similarity(public.relay_search_text(:text), public.relay_search_text(name)) AS s
                    FROM fieldservice_angel
                    WHERE public.relay_search_text(name) LIKE public.relay_search_text(:like){typos}),
                polos AS (
                    SELECT id, word_similarity(public.relay_search_text(:text), public.relay_search_text(name)) AS s
                    FROM fieldservice_polo
                    WHERE public.relay_search_text(name) LIKE public.relay_search_text(:like){typos}),
                hits AS (
                    (SELECT v.id, 1.0 AS s FROM fieldservice_visit v
                     WHERE v.id_atendimento = :number AND v.deleted_at IS NULL)
                    UNION ALL
                    (SELECT v.id, 0.9 FROM fieldservice_visit v
                     WHERE v.id_cliente = :number AND v.deleted_at IS NULL
                     ORDER BY v.id DESC LIMIT :limit)
                    UNION ALL
                    (SELECT v.id, 0.2 + 0.6 * a.s FROM (SELECT * FROM angels ORDER BY s DESC, id LIMIT 10) a
                     CROSS JOIN LATERAL (SELECT v.id FROM fieldservice_visit v
                                         WHERE v.angel_id = a.id AND v.deleted_at IS NULL
                                         ORDER BY v.id DESC LIMIT :limit) v)
                    UNION ALL
                    (SELECT v.id, 0.15 + 0.6 * p.s FROM (SELECT * FROM polos ORDER BY s DESC, id LIMIT 10) p
                     CROSS JOIN LATERAL (SELECT v.id FROM fieldservice_visit v
                                         WHERE v.polo_id = p.id AND v.deleted_at IS NULL
                                         ORDER BY v.id DESC LIMIT :limit) v))
                SELECT v.id, v.id_atendimento, v.id_cliente, a.name AS angel, p.name AS polo, v.status,
                       v.data_limite, round(max(h.s)::numeric, 4) AS score
                FROM hits h
                JOIN fieldservice_visit v ON v.id = h.id
                JOIN fieldservice_angel a ON a.id = v.angel_id
                JOIN fieldservice_polo p ON p.id = v.polo_id
                GROUP BY v.id, a.name, p.name
                ORDER BY score DESC, v.data_limite DESC, v.id DESC
                LIMIT :limit""".replace("{typos}", typos))
                .params(params)
                .param("text", q.text())
                .param("like", q.likePattern())
                .param("number", number(q), java.sql.Types.BIGINT)
                .param("limit", limit)
                .query((rs, row) -> new VisitHit(
                        rs.getLong("id"),
                        rs.getObject("id_atendimento", Long.class),
                        rs.getLong("id_cliente"),
                        rs.getString("angel"),
                        rs.getString("polo"),
                        rs.getString("status"),
                        rs.getObject("data_limite", LocalDate.class),
                        rs.getDouble("score")))
                .list();
    }
}

package com.relaycrm.messaging.threads;

import com.relaycrm.messaging.MessagingApi.MessageHit;
import com.relaycrm.platform.SearchTerms;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Messages by their words ({@code V3_2__messaging_search.sql}), never beyond the threads the reader takes part in. */
@Service
class MessageSearch {

    private final JdbcClient jdbc;

    MessageSearch(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * A thread's list filter: live messages containing the text (accents and case ignored) or having every word as
     * a word prefix. The contains test reads bodies, which is bounded by the one thread it runs in.
     */
    static String condition(SearchTerms q, Map<String, Object> params) {
        params.put("q_like", q.likePattern());
        String words = q.prefixQuery();
        String contains = "public.relay_search_text(body) LIKE public.relay_search_text(:q_like)";
        if (words == null) {
            return "deleted_at IS NULL AND " + contains;
        }
        params.put("q_words", words);
        return "deleted_at IS NULL AND (search_doc @@ to_tsquery('public.relay_search', :q_words) OR " + contains + ")";
    }

    /** How many matching messages are ranked when a word is common: the newest ones. */
    static final int RANKED = 200;

    /** How many of the newest messages are read to find them before the word counts as rare. */
    static final int WINDOW = 20_000;

    private static final String COLUMNS = "m.id, m.thread_id, m.seq, m.username, m.body, m.created_at,"
            + " round((0.5 + 0.5 * least(1, ts_rank_cd(m.search_doc, query)))::numeric, 4) AS score";
    private static final String ORDER = " ORDER BY score DESC, m.created_at DESC, m.id LIMIT :limit";

    /**
     * The best {@code limit} live messages having every word of {@code q} as a word or word prefix, in threads
     * {@code username} takes part in (all threads when {@code everyThread}). Score in [0.5, 1]: 0.5 + half the
     * cover-density rank (closer words rank higher), newest first among equals.
     *
     * <p>GIN returns matches in no useful order, so ranking every match of a common word read a tenth of all messages
     * (97,000 rows, 0.3-1.4 s at 1M messages). What is ranked is therefore bounded: a reader whose threads hold at
     * most {@link #WINDOW} messages has all of them read through the thread index and every match ranked; otherwise
     * the newest messages are read through {@code messaging_message_recent} until {@link #RANKED} matches are found
     * among the newest {@link #WINDOW}, and those are ranked (an older message with a higher rank is not shown).
     * Only a word too rare for that (under 1 % of recent messages) is looked up in the GIN index and every match
     * ranked, which is as many rows as that word has.
     */
    @Transactional(readOnly = true)
    List<MessageHit> search(SearchTerms q, String username, boolean everyThread, int limit) {
        @Nullable String words = q.prefixQuery();
        if (words == null) {
            return List.of();
        }
        // plans follow the words' frequencies (a generic plan would not), and a parallel plan only adds start-up time
        jdbc.sql("SELECT set_config('plan_cache_mode', 'force_custom_plan', true),"
                        + " set_config('max_parallel_workers_per_gather', '0', true)")
                .query()
                .listOfRows();
        String mine = "m.thread_id IN (SELECT p.thread_id FROM messaging_participant p WHERE p.username = :username)";
        if (!everyThread) {
            Long size = jdbc.sql("SELECT coalesce(sum(t.last_seq), 0) FROM messaging_participant p"
                            + " JOIN messaging_thread t ON t.id = p.thread_id WHERE p.username = :username")
                    .param("username", username)
                    .query(Long.class)
                    .single();
            if (size == 0) {
                return List.of();
            }
            if (size <= WINDOW) {
                // OFFSET 0 keeps the word test out of the subquery: its rows come from the thread index, not GIN
                return hits(
                        "SELECT " + COLUMNS + " FROM (SELECT * FROM messaging_message m WHERE " + mine
                                + " AND m.deleted_at IS NULL OFFSET 0) m, to_tsquery('public.relay_search', :words) query"
                                + " WHERE m.search_doc @@ query" + ORDER,
                        words,
                        username,
                        limit);
            }
        }
        String threads = everyThread ? "" : " AND " + mine;
        // one statement, two exclusive branches: the window's matches when it holds RANKED of them, else every match
        return hits(
                "WITH recent AS MATERIALIZED (SELECT m.* FROM (SELECT * FROM messaging_message m"
                        + " WHERE m.deleted_at IS NULL ORDER BY m.created_at DESC LIMIT " + WINDOW + ") m"
                        + " WHERE m.search_doc @@ to_tsquery('public.relay_search', :words)" + threads
                        + " ORDER BY m.created_at DESC LIMIT " + RANKED + ")"
                        + " (SELECT " + COLUMNS + " FROM recent m, to_tsquery('public.relay_search', :words) query"
                        + " WHERE (SELECT count(*) FROM recent) = " + RANKED + ")"
                        + " UNION ALL (SELECT " + COLUMNS + " FROM messaging_message m,"
                        + " to_tsquery('public.relay_search', :words) query WHERE (SELECT count(*) FROM recent) < "
                        + RANKED
                        + " AND m.deleted_at IS NULL AND m.search_doc @@ query" + threads + ")"
                        + ORDER.replace("m.", ""),
                words,
                username,
                limit);
    }

    private List<MessageHit> hits(String sql, String words, String username, int limit) {
        return jdbc.sql(sql)
                .param("words", words)
                .param("username", username)
                .param("limit", limit)
                .query((rs, row) -> new MessageHit(
                        "/thread/" + rs.getString("thread_id") + "?after=" + Cursor.ofSeq(rs.getLong("seq") - 1)
                                + "&limit=1",
                        rs.getString("thread_id"),
                        rs.getString("id"),
                        rs.getLong("seq"),
                        rs.getString("username"),
                        rs.getString("body"),
                        rs.getObject("created_at", OffsetDateTime.class),
                        rs.getDouble("score")))
                .list();
    }
}

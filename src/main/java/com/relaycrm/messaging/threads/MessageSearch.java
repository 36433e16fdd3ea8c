package com.relaycrm.messaging.threads;

import com.relaycrm.messaging.MessagingApi.MessageHit;
import com.relaycrm.platform.SearchTerms;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

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

    /**
     * The best {@code limit} live messages having every word of {@code q} as a word or word prefix, in threads
     * {@code username} takes part in (all threads when {@code everyThread}). Score in [0.5, 1]: 0.5 + half the
     * cover-density rank (closer words rank higher), newest first among equals.
     */
    List<MessageHit> search(SearchTerms q, String username, boolean everyThread, int limit) {
        @Nullable String words = q.prefixQuery();
        if (words == null) {
            return List.of();
        }
        String threads = everyThread
                ? ""
                : " AND m.thread_id IN (SELECT p.thread_id FROM messaging_participant p WHERE p.username = :username)";
        return jdbc.sql("SELECT m.id, m.thread_id, m.seq, m.username, m.body, m.created_at,"
                        + " round((0.5 + 0.5 * least(1, ts_rank_cd(m.search_doc, query)))::numeric, 4) AS score"
                        + " FROM messaging_message m, to_tsquery('public.relay_search', :words) query"
                        + " WHERE m.deleted_at IS NULL AND m.search_doc @@ query" + threads
                        + " ORDER BY score DESC, m.created_at DESC, m.id LIMIT :limit")
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

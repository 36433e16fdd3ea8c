package com.relaycrm.profiles.building;

import com.relaycrm.integrations.GitHubProfileEtagStore;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** GitHub's etags and the client's compact bodies, in PostgreSQL so every instance can send If-None-Match. */
@Component
class GitHubEtagTable implements GitHubProfileEtagStore {

    private final JdbcClient jdbc;
    private final Clock clock;

    GitHubEtagTable(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    @Override
    public Optional<Entry> find(String url) {
        return jdbc.sql("select etag, compact_body from profiles_github_etag where url = :url")
                .param("url", url)
                .query((rs, i) -> new Entry(rs.getString("etag"), rs.getString("compact_body")))
                .optional();
    }

    @Override
    public void save(String url, String etag, String compactBody) {
        jdbc.sql("""
                        insert into profiles_github_etag (url, etag, compact_body, stored_at)
                        values (:url, :etag, :body, :at)
                        on conflict (url) do update
                           set etag = excluded.etag, compact_body = excluded.compact_body,
                               stored_at = excluded.stored_at
                        """)
                .param("url", url)
                .param("etag", etag)
                .param("body", compactBody)
                .param("at", Timestamp.from(clock.instant()))
                .update();
    }
}

package com.relaycrm.gistwatch.deals;

import com.relaycrm.integrations.PipedriveAccount;
import com.relaycrm.integrations.PipedriveClient;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.Locale;
import java.util.OptionalLong;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The Pipedrive organization named after a GitHub login: the local cache first, then Pipedrive's exact search,
 * and only then a create. The cache row is locked while resolving, so two instances never create it twice.
 */
@Component
class Organizations {

    private final JdbcClient jdbc;
    private final PipedriveClient pipedrive;
    private final TransactionTemplate transactions;
    private final Clock clock;

    Organizations(JdbcClient jdbc, PipedriveClient pipedrive, TransactionTemplate transactions, Clock clock) {
        this.jdbc = jdbc;
        this.pipedrive = pipedrive;
        this.transactions = transactions;
        this.clock = clock;
    }

    long resolve(PipedriveAccount account, String login) {
        String key = login.toLowerCase(Locale.ROOT);
        OptionalLong cached = cached(account, key);
        if (cached.isPresent()) {
            return cached.getAsLong();
        }
        return transactions.execute(status -> {
            jdbc.sql("INSERT INTO gistwatch_org (account, login_key) VALUES (:account, :key) ON CONFLICT DO NOTHING")
                    .param("account", account.baseUrl())
                    .param("key", key)
                    .update();
            long locked = jdbc.sql(
                            "SELECT org_id FROM gistwatch_org WHERE account = :account AND login_key = :key FOR UPDATE")
                    .param("account", account.baseUrl())
                    .param("key", key)
                    .query(Organizations::orgId)
                    .single();
            if (locked > 0) {
                return locked;
            }
            OptionalLong found = pipedrive.findOrganization(account, login);
            long id = found.isPresent() ? found.getAsLong() : pipedrive.createOrganization(account, login);
            jdbc.sql(
                            "UPDATE gistwatch_org SET org_id = :id, resolved_at = :now WHERE account = :account AND login_key = :key")
                    .param("id", id)
                    .param("now", OffsetDateTime.now(clock))
                    .param("account", account.baseUrl())
                    .param("key", key)
                    .update();
            return id;
        });
    }

    private OptionalLong cached(PipedriveAccount account, String key) {
        long id = jdbc.sql("SELECT org_id FROM gistwatch_org WHERE account = :account AND login_key = :key")
                .param("account", account.baseUrl())
                .param("key", key)
                .query(Organizations::orgId)
                .optional()
                .orElse(0L);
        return id > 0 ? OptionalLong.of(id) : OptionalLong.empty();
    }

    /** The org id, or 0 while it is not resolved yet (Pipedrive ids are positive). */
    private static long orgId(java.sql.ResultSet rs, int row) throws java.sql.SQLException {
        long id = rs.getLong("org_id");
        return rs.wasNull() ? 0L : id;
    }
}

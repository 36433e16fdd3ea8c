package com.relaycrm.webhooks.subscriptions;

import static org.assertj.core.api.Assertions.assertThat;

import com.relaycrm.testsupport.HttpTestSupport;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The delivery log's retention: finished deliveries past their time go, pending ones and recent ones stay. */
class DeliveryLogRetentionTest extends HttpTestSupport {

    @Autowired
    Deliveries deliveries;

    @Autowired
    JdbcClient jdbc;

    @Test
    void finishedDeliveriesOlderThanTheRetentionAreDeletedAndPendingOnesAreKept() {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        long subscription = jdbc.sql("""
                        INSERT INTO webhooks_subscription (url, events, secret, created_by, created_at, updated_at)
                        VALUES ('https://receiver.test/hook', '{*}', 'whsec_x', 'test', now(), now()) RETURNING id""").query(Long.class).single();
        record Row(String key, String status, OffsetDateTime created) {}
        List<Row> rows = List.of(
                new Row("old-succeeded", "succeeded", now.minusDays(40)),
                new Row("old-failed", "failed", now.minusDays(31)),
                new Row("old-pending", "pending", now.minusDays(90)),
                new Row("recent-succeeded", "succeeded", now.minusDays(29)));
        for (Row row : rows) {
            jdbc.sql("""
                            INSERT INTO webhooks_delivery (subscription_id, message_id, event_type, resource_key, body,
                                                           status, next_attempt_at, created_at)
                            VALUES (:sub, 'msg_' || :key, 'ping', :key, '{}', :status, :created, :created)""")
                    .param("sub", subscription)
                    .param("key", row.key())
                    .param("status", row.status())
                    .param("created", row.created())
                    .update();
        }

        assertThat(deliveries.purge(now.minusDays(30))).isEqualTo(2);

        assertThat(jdbc.sql("SELECT resource_key FROM webhooks_delivery WHERE subscription_id = :sub ORDER BY id")
                        .param("sub", subscription)
                        .query(String.class)
                        .list())
                .containsExactly("old-pending", "recent-succeeded");
        jdbc.sql("DELETE FROM webhooks_subscription WHERE id = :sub")
                .param("sub", subscription)
                .update();
    }
}

package com.relaycrm.webhooks.subscriptions;

import static org.assertj.core.api.Assertions.assertThat;

import com.relaycrm.testsupport.HttpTestSupport;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The delivery rows' own queries on real PostgreSQL: when a subscription next has work, and retention. */
class DeliveriesSqlTest extends HttpTestSupport {

    @Autowired
    Deliveries deliveries;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    SecretBox secrets;

    /** A disabled subscription, so no delivery job touches the rows these tests write. */
    private long subscription() {
        return jdbc.sql("""
                        INSERT INTO webhooks_subscription (url, events, secret, enabled, created_by, created_at,
                                                           updated_at)
                        VALUES ('https://receiver.test/hook', '{*}', :secret, false, 'test', now(), now())
                        RETURNING id""")
                .param("secret", secrets.seal(Signatures.newSecret()))
                .query(Long.class)
                .single();
    }

    private void delivery(long subscription, String key, String status, OffsetDateTime created) {
        jdbc.sql("""
                        INSERT INTO webhooks_delivery (subscription_id, message_id, event_type, resource_key, body,
                                                       status, next_attempt_at, created_at)
                        VALUES (:sub, 'msg_' || :key, 'ping', :key, '{}', :status, :created, :created)""")
                .param("sub", subscription)
                .param("key", key)
                .param("status", status)
                .param("created", created)
                .update();
    }

    @Test
    void aSubscriptionWithNothingPendingHasNoNextDueTimeAndOtherwiseItsEarliest() {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MILLIS);
        long subscription = subscription();
        // an idle subscription's job asks this on every round; it used to throw, and the job backed off for 5 s
        assertThat(deliveries.nextDue(subscription)).isNull();
        delivery(subscription, "done", "succeeded", now.minusMinutes(5));
        assertThat(deliveries.nextDue(subscription)).isNull();
        delivery(subscription, "later", "pending", now.plusMinutes(3));
        delivery(subscription, "sooner", "pending", now.plusMinutes(1));
        assertThat(deliveries.nextDue(subscription)).isEqualTo(now.plusMinutes(1));
    }

    @Test
    void finishedDeliveriesOlderThanTheRetentionAreDeletedAndPendingOnesAreKept() {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        long subscription = subscription();
        delivery(subscription, "old-succeeded", "succeeded", now.minusDays(40));
        delivery(subscription, "old-failed", "failed", now.minusDays(31));
        delivery(subscription, "old-pending", "pending", now.minusDays(90));
        delivery(subscription, "recent-succeeded", "succeeded", now.minusDays(29));

        assertThat(deliveries.purge(now.minusDays(30))).isEqualTo(2);

        List<String> kept = jdbc.sql(
                        "SELECT resource_key FROM webhooks_delivery WHERE subscription_id = :sub ORDER BY id")
                .param("sub", subscription)
                .query(String.class)
                .list();
        assertThat(kept).containsExactly("old-pending", "recent-succeeded");
    }
}

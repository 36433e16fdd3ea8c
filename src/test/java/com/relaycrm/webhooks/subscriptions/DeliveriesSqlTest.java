package com.relaycrm.webhooks.subscriptions;

import static org.assertj.core.api.Assertions.assertThat;

import com.relaycrm.sales.LeadCreated;
import com.relaycrm.testsupport.HttpTestSupport;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The delivery rows' own queries on real PostgreSQL: when a subscription next has work, retention, vacuum, and a
 * subscription deleted under a committing change.
 */
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

    @Autowired
    TransactionTemplate transactions;

    private long deadRows() {
        return jdbc.sql("SELECT n_dead_tup FROM pg_stat_user_tables WHERE relid = 'webhooks_delivery'::regclass")
                .query(Long.class)
                .single();
    }

    /** Buffers the job's window walk touches for this subscription (nothing of it is pending). */
    private long windowBuffers(long subscription) {
        return transactions.execute(status -> {
            jdbc.sql("SELECT set_config('enable_bitmapscan', 'off', true), set_config('enable_sort', 'off', true)")
                    .query((RowCallbackHandler) rs -> {});
            String plan =
                    jdbc.sql("""
                            EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON)
                            SELECT id, resource_key FROM webhooks_delivery
                            WHERE subscription_id = :sub AND status = 'pending' ORDER BY id LIMIT 1000""").param("sub", subscription).query(String.class).single();
            java.util.regex.Matcher hits = java.util.regex.Pattern.compile("\"Shared Hit Blocks\": (\\d+)")
                    .matcher(plan);
            java.util.regex.Matcher reads = java.util.regex.Pattern.compile("\"Shared Read Blocks\": (\\d+)")
                    .matcher(plan);
            assertThat(hits.find() && reads.find()).as(plan).isTrue();
            assertThat(plan).contains("webhooks_delivery_pending");
            return Long.parseLong(hits.group(1)) + Long.parseLong(reads.group(1));
        });
    }

    @Test
    void finishedAttemptsPastTheThresholdGetTheTableVacuumedEvenWithoutAutovacuum() throws Exception {
        // as on a server with autovacuum off: only Relay's own task may clean the table
        jdbc.sql("ALTER TABLE webhooks_delivery SET (autovacuum_enabled = false)")
                .update();
        long subscription = subscription();
        transactions.executeWithoutResult(status -> {
            jdbc.sql("""
                            INSERT INTO webhooks_delivery (subscription_id, message_id, event_type, resource_key, body,
                                                           next_attempt_at, created_at)
                            SELECT :sub, 'msg_' || g, 'ping', 'ping:' || g, '{}', now(), now()
                            FROM generate_series(1, 3000) g""").param("sub", subscription).update();
        });
        transactions.executeWithoutResult(status -> {
            jdbc.sql("UPDATE webhooks_delivery SET status = 'succeeded', attempts = 1 WHERE subscription_id = :sub")
                    .param("sub", subscription)
                    .update();
            jdbc.sql("SELECT pg_stat_force_next_flush()").query((RowCallbackHandler) rs -> {});
        });
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (deadRows() < 3000 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(deadRows()).isGreaterThanOrEqualTo(3000);

        assertThat(windowBuffers(subscription)).as("the walk before the vacuum").isGreaterThan(5);
        assertThat(deliveries.vacuumIfNeeded(5_000)).as("below the threshold").isFalse();
        assertThat(deadRows()).isGreaterThanOrEqualTo(3000);
        assertThat(deliveries.vacuumIfNeeded(1_000)).isTrue();
        deadline = System.nanoTime() + 10_000_000_000L;
        while (deadRows() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(deadRows()).isZero();
        // the pending index lost its dead entries too: the job's walk reads a page or two, not every dead entry's
        assertThat(windowBuffers(subscription)).isLessThanOrEqualTo(3);
    }

    @Autowired
    Subscriptions subscriptions;

    @Autowired
    ApplicationEventPublisher events;

    private boolean waitingForALock() {
        return jdbc.sql("SELECT count(*) > 0 FROM pg_stat_activity WHERE wait_event_type = 'Lock'")
                .query(Boolean.class)
                .single();
    }

    @Test
    void aChangeCommittingWhileItsSubscriptionIsDeletedCommitsAndTheDeliveryItLeftIsRemoved() throws Exception {
        long subscription = jdbc.sql("""
                        INSERT INTO webhooks_subscription (url, events, secret, enabled, created_by, created_at,
                                                           updated_at)
                        VALUES ('https://receiver.test/deleted', '{lead.created}', :secret, true, 'test', now(), now())
                        RETURNING id""")
                .param("secret", secrets.seal(Signatures.newSecret()))
                .query(Long.class)
                .single();
        CountDownLatch deleted = new CountDownLatch(1);
        CountDownLatch commit = new CountDownLatch(1);
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            // DELETE /api/v1/webhooks/{id}, held open before its commit
            Future<?> deleting = threads.submit(() -> transactions.executeWithoutResult(status -> {
                subscriptions.delete(subscription);
                deleted.countDown();
                try {
                    commit.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
            Future<?> change;
            try {
                assertThat(deleted.await(10, TimeUnit.SECONDS)).isTrue();
                // a lead created meanwhile: its outbox still sees the subscription, which the delete has not committed
                change = threads.submit(() -> transactions.executeWithoutResult(
                        status -> events.publishEvent(new LeadCreated(-7, Map.of("name", "racing a delete")))));
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (!change.isDone() && !waitingForALock() && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
            } finally {
                // with a foreign key the change waited here for the delete's lock, then failed once it committed;
                // released on failure too, or closing the executor would wait for the open delete forever
                commit.countDown();
            }
            deleting.get(10, TimeUnit.SECONDS);
            change.get(10, TimeUnit.SECONDS);
        }
        assertThat(jdbc.sql("SELECT count(*) FROM webhooks_delivery WHERE subscription_id = :sub")
                        .param("sub", subscription)
                        .query(Long.class)
                        .single())
                .as("the delivery the change wrote")
                .isEqualTo(1);

        assertThat(deliveries.purgeDeleted(OffsetDateTime.now(ZoneOffset.UTC).minusDays(30)))
                .isGreaterThanOrEqualTo(1);
        assertThat(jdbc.sql("SELECT count(*) FROM webhooks_delivery WHERE subscription_id = :sub")
                        .param("sub", subscription)
                        .query(Long.class)
                        .single())
                .isZero();
        // the tombstone stays until it is older than the cutoff, then goes
        assertThat(deliveries.purgeDeleted(OffsetDateTime.now(ZoneOffset.UTC).plusMinutes(1)))
                .isZero();
        assertThat(jdbc.sql("SELECT count(*) FROM webhooks_subscription_deleted WHERE id = :sub")
                        .param("sub", subscription)
                        .query(Long.class)
                        .single())
                .isZero();
    }
}

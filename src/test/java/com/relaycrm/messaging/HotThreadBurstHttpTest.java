package com.relaycrm.messaging;

import static com.relaycrm.messaging.MessagingHttpTest.messages;
import static com.relaycrm.messaging.MessagingHttpTest.thread;
import static org.assertj.core.api.Assertions.assertThat;

import com.relaycrm.platform.Role;
import com.relaycrm.testsupport.ApiClient;
import com.relaycrm.testsupport.HttpTestSupport;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * A burst of posts into one thread whose row lock is held (as by a long transaction or another instance) must not
 * take the connection pool from the rest of Relay. The pool here has 8 connections and the burst is 40 posts: before
 * posts queued for a turn outside the pool, all 8 connections waited on the row lock and every other request failed
 * with a 503 after the pool's 3 s wait.
 */
@TestPropertySource(
        properties = {
            "spring.datasource.hikari.maximum-pool-size=8",
            "relay.messaging.writers-per-thread=4",
            "relay.messaging.writer-wait=PT2S",
            "relay.rate-limit.enabled=false"
        })
class HotThreadBurstHttpTest extends HttpTestSupport {

    private static final int BURST = 40;

    @Autowired
    HikariDataSource pool;

    @Test
    void otherRequestsAreServedWhileOneThreadIsFloodedAndItsRowLockIsHeld() throws Exception {
        ApiClient alice = clientFor("burst-alice", Role.AGENT);
        String hot = thread(alice, "burst-alice", "burst-bob");
        String quiet = thread(alice, "burst-alice", "burst-carol");

        List<Future<ApiClient.Response>> posts = new ArrayList<>();
        List<String> others = new ArrayList<>();
        int maxActive = 0;
        int maxWaiting = 0;
        try (Connection holder =
                        DriverManager.getConnection(pool.getJdbcUrl(), pool.getUsername(), pool.getPassword());
                ExecutorService burst = Executors.newVirtualThreadPerTaskExecutor()) {
            holder.setAutoCommit(false);
            try (PreparedStatement lock =
                    holder.prepareStatement("SELECT 1 FROM messaging_thread WHERE id = ? FOR UPDATE")) {
                lock.setObject(1, UUID.fromString(hot));
                lock.executeQuery().close();
            }
            for (int i = 0; i < BURST; i++) {
                String text = "{\"message\":\"burst " + i + "\"}";
                posts.add(burst.submit(() -> alice.post("/thread/" + hot + "/burst-alice", text)));
            }
            // Wait (without a clock) until the burst is in: the posts holding a turn are blocked on the row lock.
            for (int i = 0; i < 2_000 && pool.getHikariPoolMXBean().getActiveConnections() < 4; i++) {
                Thread.sleep(5);
            }
            // ...and its 40 token checks are done, leaving the posts that hold a turn (and their connections).
            for (int i = 0;
                    i < 2_000
                            && (pool.getHikariPoolMXBean().getThreadsAwaitingConnection() > 0
                                    || pool.getHikariPoolMXBean().getActiveConnections() > 5);
                    i++) {
                Thread.sleep(5);
            }
            for (int round = 0; round < 5; round++) {
                maxActive = Math.max(maxActive, pool.getHikariPoolMXBean().getActiveConnections());
                maxWaiting = Math.max(maxWaiting, pool.getHikariPoolMXBean().getThreadsAwaitingConnection());
                record(others, "GET quiet thread", alice.get("/thread/" + quiet + "?limit=10"));
                record(
                        others,
                        "POST quiet thread",
                        alice.post("/thread/" + quiet + "/burst-alice", "{\"message\":\"still here\"}"));
                record(others, "GET inbox", alice.get("/users/burst-alice/threads"));
                record(others, "GET employees", api.get("/employees?limit=5"));
                maxActive = Math.max(maxActive, pool.getHikariPoolMXBean().getActiveConnections());
            }
            // Keep the lock until the first hot post has given up, so the busy answer is exercised too.
            for (int i = 0; i < 6_000 && posts.stream().noneMatch(Future::isDone); i++) {
                Thread.sleep(5);
            }
            holder.commit();
        }

        assertThat(others).as("requests to the rest of Relay during the burst").allMatch(line -> line.endsWith(" 2xx"));
        assertThat(maxActive)
                .as("connections in use while 40 posts wait for one thread")
                .isLessThan(8);
        assertThat(maxWaiting)
                .as("requests waiting for a connection during the burst")
                .isZero();

        int stored = 0;
        int busy = 0;
        for (Future<ApiClient.Response> post : posts) {
            ApiClient.Response response = post.get();
            if (response.status() == 204) {
                stored++;
            } else {
                JsonNode problem = assertProblem(response, 503);
                assertThat(problem.get("type").asString()).endsWith("/thread-busy");
                assertThat(response.header("Retry-After")).hasValue("1");
                busy++;
            }
        }
        assertThat(stored + busy).isEqualTo(BURST);
        assertThat(busy).as("posts told to retry while the lock was held").isPositive();

        List<JsonNode> hotMessages = messages(alice, hot);
        assertThat(hotMessages).hasSize(stored);
        for (int i = 0; i < hotMessages.size(); i++) {
            assertThat(hotMessages.get(i).get("seq").asLong()).isEqualTo(i + 1);
        }
        assertThat(messages(alice, quiet)).hasSize(5);
    }

    private static void record(List<String> log, String what, ApiClient.Response response) {
        log.add(what + " -> " + response.status() + (response.status() / 100 == 2 ? " 2xx" : " " + response.body()));
    }
}

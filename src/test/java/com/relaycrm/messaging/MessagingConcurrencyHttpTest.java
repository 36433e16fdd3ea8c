package com.relaycrm.messaging;

import static com.relaycrm.messaging.MessagingHttpTest.messages;
import static com.relaycrm.messaging.MessagingHttpTest.thread;
import static org.assertj.core.api.Assertions.assertThat;

import com.relaycrm.platform.Role;
import com.relaycrm.testsupport.ApiClient;
import com.relaycrm.testsupport.HttpTestSupport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/** Real parallel HTTP requests: ordering under contention and Idempotency-Key. */
class MessagingConcurrencyHttpTest extends HttpTestSupport {

    @Autowired
    JdbcClient jdbc;

    /** Starts every call at once (a latch gate) on virtual threads and returns the responses in call order. */
    static <T> List<T> inParallel(int count, java.util.function.IntFunction<T> call) throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int index = i;
                futures.add(pool.submit((Callable<T>) () -> {
                    gate.await();
                    return call.apply(index);
                }));
            }
            gate.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get());
            }
            return results;
        }
    }

    @Test
    void fiftyParallelPostsAllLandWithDistinctGapFreeSeq() throws Exception {
        ApiClient ann = clientFor("ann", Role.AGENT);
        ApiClient ben = clientFor("ben", Role.AGENT);
        ApiClient cy = clientFor("cy", Role.AGENT);
        List<ApiClient> senders = List.of(ann, ben, cy);
        List<String> names = List.of("ann", "ben", "cy");
        String thread = thread(ann, "ann", "ben", "cy");

        List<ApiClient.Response> responses = inParallel(
                50,
                i -> senders.get(i % 3)
                        .post("/thread/" + thread + "/" + names.get(i % 3), "{\"message\":\"parallel " + i + "\"}"));
        assertThat(responses)
                .allSatisfy(r -> assertThat(r.status()).as(r.body()).isEqualTo(204));

        List<JsonNode> stored = messages(ann, thread);
        assertThat(stored).hasSize(50);
        assertThat(stored)
                .extracting(m -> m.get("seq").asLong())
                .containsExactlyElementsOf(
                        IntStream.rangeClosed(1, 50).mapToObj(i -> (long) i).toList());
        assertThat(stored)
                .extracting(m -> m.get("message").asString())
                .containsExactlyInAnyOrderElementsOf(
                        IntStream.range(0, 50).mapToObj(i -> "parallel " + i).toList());
        for (JsonNode message : stored) {
            int i = Integer.parseInt(message.get("message").asString().substring("parallel ".length()));
            assertThat(message.get("username").asString()).isEqualTo(names.get(i % 3));
        }
        assertThat(stored.stream().map(m -> m.get("id").asString()).distinct().count())
                .isEqualTo(50);
        assertThat(jdbc.sql("SELECT last_seq FROM messaging_thread WHERE id = :id::uuid")
                        .param("id", thread)
                        .query(Long.class)
                        .single())
                .isEqualTo(50);
    }

    @Test
    void parallelPostsIntoManyThreadsStayOrderedPerThread() throws Exception {
        ApiClient service = clientFor("fanout", Role.MESSAGING_SERVICE);
        List<String> threads = IntStream.range(0, 5)
                .mapToObj(i -> thread(service, "p" + i, "q" + i))
                .toList();
        List<ApiClient.Response> responses = inParallel(
                100,
                i -> service.post(
                        "/thread/" + threads.get(i % 5) + "/" + (i % 2 == 0 ? "p" : "q") + (i % 5),
                        "{\"message\":\"m" + i + "\"}"));
        assertThat(responses).allSatisfy(r -> assertThat(r.status()).isEqualTo(204));
        for (String thread : threads) {
            assertThat(messages(service, thread))
                    .extracting(m -> m.get("seq").asLong())
                    .containsExactlyElementsOf(
                            IntStream.rangeClosed(1, 20).mapToObj(i -> (long) i).toList());
        }
    }

    @Test
    void sameIdempotencyKeyTenTimesInParallelStoresOneMessage() throws Exception {
        ApiClient dee = clientFor("dee", Role.AGENT);
        String thread = thread(dee, "dee", "eve");
        List<ApiClient.Response> responses = inParallel(
                10,
                i -> dee.post(
                        "/thread/" + thread + "/dee",
                        "{\"message\":\"pay the invoice\"}",
                        "Idempotency-Key",
                        "key-0001"));
        assertThat(responses)
                .allSatisfy(r -> assertThat(r.status()).as(r.body()).isEqualTo(204));
        assertThat(responses.stream()
                        .filter(r -> r.header("Idempotent-Replayed").isPresent())
                        .count())
                .isEqualTo(9);
        List<JsonNode> stored = messages(dee, thread);
        assertThat(stored).hasSize(1);
        assertThat(stored.getFirst().get("message").asString()).isEqualTo("pay the invoice");

        // later retries are still recognised, and a different key is a new message
        assertThat(dee.post(
                                "/thread/" + thread + "/dee",
                                "{\"message\":\"pay the invoice\"}",
                                "Idempotency-Key",
                                "key-0001")
                        .status())
                .isEqualTo(204);
        assertThat(dee.post(
                                "/thread/" + thread + "/dee",
                                "{\"message\":\"pay the invoice\"}",
                                "Idempotency-Key",
                                "key-0002")
                        .status())
                .isEqualTo(204);
        assertThat(messages(dee, thread)).hasSize(2);
    }

    @Test
    void sameKeyWithDifferentBodyIs409() {
        ApiClient fay = clientFor("fay", Role.AGENT);
        String thread = thread(fay, "fay", "gus");
        String other = thread(fay, "fay", "gus");
        assertThat(fay.post("/thread/" + thread + "/fay", "{\"message\":\"one\"}", "Idempotency-Key", "k1")
                        .status())
                .isEqualTo(204);
        var problem = assertProblem(
                fay.post("/thread/" + thread + "/fay", "{\"message\":\"two\"}", "Idempotency-Key", "k1"), 409);
        assertThat(problem.get("detail").asString()).contains("Idempotency-Key");
        assertProblem(fay.post("/thread/" + other + "/fay", "{\"message\":\"one\"}", "Idempotency-Key", "k1"), 409);
        // extra keys are not part of the request's identity
        assertThat(fay.post("/thread/" + thread + "/fay", "{\"message\":\"one\",\"x\":1}", "Idempotency-Key", "k1")
                        .status())
                .isEqualTo(204);
        assertThat(messages(fay, thread)).hasSize(1);
        assertThat(messages(fay, other)).isEmpty();
        // a failed (invalid) request does not use up the key
        assertProblem(fay.post("/thread/" + thread + "/fay", "{\"message\":\"\"}", "Idempotency-Key", "k2"), 422);
        assertThat(fay.post("/thread/" + thread + "/fay", "{\"message\":\"fine\"}", "Idempotency-Key", "k2")
                        .status())
                .isEqualTo(204);
        assertProblem(
                fay.post("/thread/" + thread + "/fay", "{\"message\":\"x\"}", "Idempotency-Key", "has space"), 400);
        assertProblem(
                fay.post("/thread/" + thread + "/fay", "{\"message\":\"x\"}", "Idempotency-Key", "k".repeat(256)), 400);
        assertThat(messages(fay, thread)).hasSize(2);
    }

    @Test
    void keyIsForgottenAfterTwentyFourHours() {
        ApiClient hal = clientFor("hal", Role.AGENT);
        String thread = thread(hal, "hal", "ivy");
        assertThat(hal.post("/thread/" + thread + "/hal", "{\"message\":\"first\"}", "Idempotency-Key", "daily")
                        .status())
                .isEqualTo(204);
        // 23 h later the key still protects; 25 h later it may be used again, even for another body
        jdbc.sql("UPDATE messaging_idempotency_key SET created_at = now() - interval '23 hours' WHERE key = 'daily'")
                .update();
        assertProblem(
                hal.post("/thread/" + thread + "/hal", "{\"message\":\"second\"}", "Idempotency-Key", "daily"), 409);
        jdbc.sql("UPDATE messaging_idempotency_key SET created_at = now() - interval '25 hours' WHERE key = 'daily'")
                .update();
        assertThat(hal.post("/thread/" + thread + "/hal", "{\"message\":\"second\"}", "Idempotency-Key", "daily")
                        .status())
                .isEqualTo(204);
        assertThat(messages(hal, thread))
                .extracting(m -> m.get("message").asString())
                .containsExactly("first", "second");
        assertThat(hal.post("/thread/" + thread + "/hal", "{\"message\":\"second\"}", "Idempotency-Key", "daily")
                        .header("Idempotent-Replayed"))
                .hasValue("true");
        assertThat(messages(hal, thread)).hasSize(2);
    }

    @Test
    void expiredKeysAreCleanedUpByAScheduledJob() {
        assertThat(jdbc.sql("SELECT count(*) FROM scheduled_tasks WHERE task_name = 'messaging-idempotency-cleanup'")
                        .query(Long.class)
                        .single())
                .isEqualTo(1);
    }

    @Test
    void defaultPageIsTheFirstThousandWithACursorToTheRest() throws Exception {
        ApiClient jo = clientFor("jo", Role.AGENT);
        String thread = thread(jo, "jo", "kim");
        // eight clients at a time: enough to interleave, not a stampede on one row lock
        List<Integer> statuses = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            List<Future<Integer>> futures = new ArrayList<>();
            for (int i = 0; i < 1005; i++) {
                int index = i;
                futures.add(
                        pool.submit(() -> jo.post("/thread/" + thread + "/jo", "{\"message\":\"bulk " + index + "\"}")
                                .status()));
            }
            for (Future<Integer> future : futures) {
                statuses.add(future.get());
            }
        }
        assertThat(statuses).containsOnly(204);
        ApiClient.Response first = jo.get("/thread/" + thread);
        JsonNode page = first.json();
        assertThat(page.get("messages")).hasSize(1000);
        assertThat(page.get("messages").get(999).get("seq").asLong()).isEqualTo(1000);
        ApiClient.Response rest =
                jo.get("/thread/" + thread + "?after=" + page.get("next_cursor").asString());
        assertThat(rest.json().get("messages")).hasSize(5);
        assertThat(rest.json().has("next_cursor")).isFalse();
        Set<String> texts = new HashSet<>();
        page.get("messages").forEach(m -> texts.add(m.get("message").asString()));
        rest.json().get("messages").forEach(m -> texts.add(m.get("message").asString()));
        assertThat(texts).hasSize(1005);
    }

    @Test
    void postingStaysFastEnoughForChat() {
        ApiClient lu = clientFor("lu", Role.AGENT);
        String thread = thread(lu, "lu", "mo");
        long started = System.nanoTime();
        for (int i = 0; i < 50; i++) {
            assertThat(lu.post("/thread/" + thread + "/lu", "{\"message\":\"n" + i + "\"}")
                            .status())
                    .isEqualTo(204);
        }
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(20));
    }
}

package com.relaycrm.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import com.relaycrm.messaging.MessagingApi;
import com.relaycrm.sales.LeadCreated;
import com.relaycrm.testsupport.ApiClient;
import com.relaycrm.testsupport.HttpTestSupport;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.test.context.TestPropertySource;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/** Deliveries to real local receivers, with fast retries: signatures, retries, 410, order, rotation, rollback. */
@TestPropertySource(
        properties = {
            "relay.webhooks.allow-private=true",
            "relay.webhooks.timeout=PT0.5S",
            "relay.webhooks.initial-backoff=PT0.1S",
            "relay.webhooks.backoff-multiplier=2",
            "relay.webhooks.max-backoff=PT0.4S",
            "relay.webhooks.max-attempts=4",
            "relay.webhooks.disable-after=PT3S",
            "relay.webhooks.poll-interval=PT0.1S",
            "relay.jobs.polling-interval=PT0.1S",
            "relay.rate-limit.enabled=false"
        })
class WebhookDeliveryHttpTest extends HttpTestSupport {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    @Autowired
    MessagingApi messaging;

    @Autowired
    ApplicationEventPublisher events;

    @Autowired
    TransactionTemplate transactions;

    private Receiver receiver;

    @BeforeEach
    void startReceiver() throws Exception {
        receiver = new Receiver();
    }

    @AfterEach
    void stopReceiver() {
        receiver.close();
    }

    private record Subscription(long id, String secret) {}

    private Subscription subscribe(String url, String... events) {
        String list = String.join(
                ",", java.util.Arrays.stream(events).map(e -> "\"" + e + "\"").toList());
        ApiClient.Response response =
                api.post("/api/v1/webhooks", "{\"url\":\"%s\",\"events\":[%s]}".formatted(url, list));
        assertThat(response.status()).as(response.body()).isEqualTo(201);
        return new Subscription(
                response.json().get("id").asLong(),
                response.json().get("secret").asString());
    }

    private long employee() {
        String name = "emp" + SEQUENCE.incrementAndGet();
        ApiClient.Response response = api.post(
                "/employees",
                "{\"name\":\"%s\",\"email\":\"%s@relay.test\",\"role\":\"SALES_REP\"}".formatted(name, name));
        assertThat(response.status()).as(response.body()).isEqualTo(201);
        return response.json().get("id").asLong();
    }

    private JsonNode lead(long rep) {
        String name = "lead" + SEQUENCE.incrementAndGet() + "-" + System.nanoTime();
        ApiClient.Response response = api.post(
                "/leads",
                "{\"name\":\"%s\",\"contact_email\":\"%s@client.test\",\"assigned_to\":%d}".formatted(name, name, rep));
        assertThat(response.status()).as(response.body()).isEqualTo(201);
        return response.json();
    }

    private static List<String> types(List<Receiver.Request> requests) {
        return requests.stream().map(r -> r.json().get("type").asString()).toList();
    }

    private JsonNode subscription(long id) {
        return api.get("/api/v1/webhooks/" + id).json();
    }

    private List<JsonNode> log(long id) {
        ApiClient.Response response = api.get("/api/v1/webhooks/" + id + "/deliveries?limit=100");
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json().get("items").valueStream().toList();
    }

    @Test
    void eventsArriveSignedInTheStandardWebhooksFormatWithTheApiRepresentation() {
        Subscription all = subscribe(receiver.url("/all"), "*");
        Subscription leadsOnly = subscribe(receiver.url("/leads"), "lead.created", "lead.won");

        long rep = employee();
        JsonNode lead = lead(rep);
        long leadId = lead.get("id").asLong();
        ApiClient.Response won = api.patch("/leads/" + leadId, "{\"status\":\"Won\"}");
        assertThat(won.status()).as(won.body()).isEqualTo(200);
        String thread = messaging.openThread(List.of("ana", "bob"), "ana");
        long seq = messaging.post(thread, "ana", "hello webhooks");
        String messageId = messaging
                .conversation(thread, "ana", null, 10)
                .messages()
                .getFirst()
                .id();
        messaging.edit(thread, messageId, "ana", "hello again");
        messaging.delete(thread, messageId, "ana");
        ApiClient.Response visit = api.post(
                "/api/v1/atendimento",
                "{\"id_cliente\": 123456, \"angel\": \"Bia\", \"polo\": \"SP - SANTOS\","
                        + " \"data_limite\": \"2021-06-30 15:30\", \"data_de_atendimento\": \"2021-06-29 10:00\"}");
        assertThat(visit.status()).as(visit.body()).isEqualTo(201);
        long visitId = visit.json().get("id").asLong();
        assertThat(api.patch("/api/v1/atendimento/" + visitId, "{\"angel\": \"Caio\"}")
                        .status())
                .isEqualTo(200);

        List<String> expected = List.of(
                "employee.created",
                "lead.created",
                "customer.created",
                "lead.updated",
                "lead.won",
                "thread.created",
                "message.posted",
                "message.edited",
                "message.deleted",
                "visit.created",
                "visit.updated");
        Receiver.await("all events at /all", WAIT, () -> receiver.at("/all").size() >= expected.size());
        Receiver.await(
                "lead events at /leads", WAIT, () -> receiver.at("/leads").size() >= 2);
        List<Receiver.Request> everything = receiver.at("/all");
        assertThat(types(everything)).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(types(receiver.at("/leads"))).containsExactly("lead.created", "lead.won");

        for (Receiver.Request request : everything) {
            assertThat(Receiver.validSignatures(request, all.secret()))
                    .as(request.body())
                    .isEqualTo(1);
            assertThat(Receiver.validSignatures(request, leadsOnly.secret())).isZero();
            assertThat(request.header("webhook-id")).startsWith("msg_");
            long timestamp = Long.parseLong(request.header("webhook-timestamp"));
            assertThat(Math.abs(Instant.now().getEpochSecond() - timestamp)).isLessThan(60);
            assertThat(request.header("content-type")).startsWith("application/json");
            JsonNode body = request.json();
            assertThat(body.propertyNames()).containsExactly("type", "timestamp", "data");
            assertThat(Instant.parse(body.get("timestamp").asString())).isBefore(Instant.now());
        }
        for (Receiver.Request request : receiver.at("/leads")) {
            assertThat(Receiver.validSignatures(request, leadsOnly.secret())).isEqualTo(1);
        }
        // one message id per event, the same for every subscription it goes to
        Map<String, String> idsByType = new HashMap<>();
        everything.forEach(r -> idsByType.put(r.json().get("type").asString(), r.header("webhook-id")));
        assertThat(receiver.at("/leads").stream().map(r -> r.header("webhook-id")))
                .containsExactlyInAnyOrder(idsByType.get("lead.created"), idsByType.get("lead.won"));

        JsonNode wonData = find(everything, "lead.won").get("data");
        JsonNode apiLead = api.get("/leads/" + leadId).json();
        assertThat(wonData).isEqualTo(apiLead);
        assertThat(wonData.get("status").asString()).isEqualTo("Won");
        assertThat(find(everything, "lead.created").get("data").get("status").asString())
                .isEqualTo("New");
        assertThat(find(everything, "customer.created").get("data").get("id").asLong())
                .isEqualTo(apiLead.get("customer_id").asLong());
        assertThat(find(everything, "employee.created").get("data"))
                .isEqualTo(api.get("/employees/" + rep).json());
        JsonNode posted = find(everything, "message.posted").get("data");
        assertThat(posted.get("thread_id").asString()).isEqualTo(thread);
        assertThat(posted.get("seq").asLong()).isEqualTo(seq);
        assertThat(posted.get("message").asString()).isEqualTo("hello webhooks");
        assertThat(find(everything, "message.edited").get("data").get("message").asString())
                .isEqualTo("hello again");
        assertThat(find(everything, "message.deleted")
                        .get("data")
                        .get("deleted")
                        .asBoolean())
                .isTrue();
        assertThat(find(everything, "thread.created").get("data").get("users").toString())
                .isEqualTo("[\"ana\",\"bob\"]");
        assertThat(find(everything, "visit.updated").get("data"))
                .isEqualTo(api.get("/api/v1/atendimento/" + visitId).json());
        // per resource, commit order: the thread's events in the order they happened
        assertThat(types(everything).stream().filter(t -> t.startsWith("thread") || t.startsWith("message")))
                .containsExactly("thread.created", "message.posted", "message.edited", "message.deleted");
        assertThat(types(everything).stream().filter(t -> t.startsWith("lead")))
                .containsExactly("lead.created", "lead.updated", "lead.won");

        Receiver.await(
                "the log to show every delivery as succeeded",
                WAIT,
                () -> log(all.id()).stream()
                        .allMatch(e -> e.get("status").asString().equals("succeeded")));
        JsonNode entry = log(all.id()).getFirst();
        assertThat(entry.get("attempts").asInt()).isEqualTo(1);
        assertThat(entry.get("last_response_status").asInt()).isEqualTo(200);
        assertThat(entry.get("last_response_body").asString()).isEqualTo("answer 200");
        assertThat(entry.get("latency_ms").asInt()).isGreaterThanOrEqualTo(0);
        assertThat(entry.has("next_attempt_at")).isFalse();
    }

    @Test
    void aFinishedImportIsAnnouncedOnceWithItsCounts() {
        Subscription subscription = subscribe(receiver.url("/imports"), "import.finished");
        ApiClient.Response accepted = api.sendBytes(
                "POST",
                "/api/v1/atendimento/import_csv",
                "text/csv",
                ("id_atendimento;id_cliente;angel;polo;data_limite;data_de_atendimento\n"
                                + "700001;77;Bia;SP - SANTOS;2021-06-30 15:30;2021-06-29 10:00\n"
                                + "700002;78;Bia;SP - SANTOS;31/02/2021;2021-06-29 10:00\n")
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
        String task = accepted.json().get("task_id").asString();
        Receiver.await("import.finished", WAIT, () -> !receiver.at("/imports").isEmpty());
        sleep(300);
        assertThat(receiver.at("/imports")).hasSize(1);
        Receiver.Request request = receiver.at("/imports").getFirst();
        assertThat(Receiver.validSignatures(request, subscription.secret())).isEqualTo(1);
        JsonNode data = request.json().get("data");
        assertThat(data.get("task_id").asString()).isEqualTo(task);
        assertThat(data.get("state").asString()).isEqualTo("SUCCESS");
        assertThat(data.get("inserted").asLong()).isEqualTo(1);
        assertThat(data.get("rejected").asLong()).isEqualTo(1);
        assertThat(data.get("total_rows").asLong()).isEqualTo(2);
    }

    private static JsonNode find(List<Receiver.Request> requests, String type) {
        return requests.stream()
                .map(Receiver.Request::json)
                .filter(json -> json.get("type").asString().equals(type))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + type));
    }

    @Test
    void aRolledBackChangeSendsNothingAndACommittedOneIsSent() {
        subscribe(receiver.url("/tx"), "lead.created");
        transactions.executeWithoutResult(status -> {
            events.publishEvent(new LeadCreated(-1, Map.of("name", "rolled back")));
            status.setRollbackOnly();
        });
        transactions.executeWithoutResult(
                status -> events.publishEvent(new LeadCreated(-2, Map.of("name", "committed"))));
        Receiver.await("the committed event", WAIT, () -> !receiver.at("/tx").isEmpty());
        // the rolled-back one was published first; had it been written, it would have been delivered before
        sleep(500);
        assertThat(receiver.at("/tx").stream()
                        .map(r -> r.json().get("data").get("name").asString())
                        .toList())
                .containsExactly("committed");
    }

    @Test
    void anEventWhoseTransactionCommitsLastIsDeliveredThoughALaterOneWentFirst() throws Exception {
        subscribe(receiver.url("/late"), "lead.created");
        CountDownLatch written = new CountDownLatch(1);
        CountDownLatch commit = new CountDownLatch(1);
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            // takes the lower event id first, then stays open while a later event commits and is delivered
            Future<?> slow = threads.submit(() -> transactions.executeWithoutResult(status -> {
                events.publishEvent(new LeadCreated(-11, Map.of("name", "committed last")));
                written.countDown();
                try {
                    commit.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
            try {
                assertThat(written.await(10, TimeUnit.SECONDS)).isTrue();
                transactions.executeWithoutResult(
                        status -> events.publishEvent(new LeadCreated(-12, Map.of("name", "committed first"))));
                Receiver.await(
                        "the event committed first",
                        WAIT,
                        () -> !receiver.at("/late").isEmpty());
            } finally {
                // released on failure too, or closing the executor would wait for the open transaction forever
                commit.countDown();
            }
            slow.get(10, TimeUnit.SECONDS);
        }
        // a job reading the outbox by id alone would have moved past the lower id while its transaction was open
        Receiver.await(
                "the event committed last", WAIT, () -> receiver.at("/late").size() == 2);
        assertThat(receiver.at("/late").stream()
                        .map(r -> r.json().get("data").get("name").asString())
                        .toList())
                .containsExactly("committed first", "committed last");
    }

    @Test
    void failuresAndTimeoutsAreRetriedWithBackoffUntilTheReceiverAnswers() {
        AtomicInteger calls = new AtomicInteger();
        receiver.respond = request -> switch (calls.incrementAndGet()) {
            case 1 -> Receiver.Answer.of(500);
            case 2 -> new Receiver.Answer(200, Duration.ofMillis(1500)); // answers after the 0.5 s timeout
            case 3 -> Receiver.Answer.of(503);
            default -> Receiver.Answer.of(204);
        };
        Subscription subscription = subscribe(receiver.url("/flaky"), "employee.created");
        employee();
        Receiver.await("four attempts", WAIT, () -> receiver.at("/flaky").size() >= 4);
        Receiver.await(
                "the delivery to succeed",
                WAIT,
                () -> log(subscription.id()).getFirst().get("status").asString().equals("succeeded"));
        List<Receiver.Request> attempts = receiver.at("/flaky");
        assertThat(attempts).hasSize(4);
        assertThat(attempts.stream().map(r -> r.header("webhook-id")).distinct())
                .hasSize(1);
        assertThat(attempts.stream().map(Receiver.Request::body).distinct()).hasSize(1);
        for (Receiver.Request attempt : attempts) {
            assertThat(Receiver.validSignatures(attempt, subscription.secret())).isEqualTo(1);
        }
        // backoff 0.1 s, then 0.2 s, then 0.4 s (+-20 %); the second attempt also waited out the 0.5 s timeout
        assertThat(Duration.between(attempts.get(0).at(), attempts.get(1).at()))
                .isGreaterThanOrEqualTo(Duration.ofMillis(80));
        assertThat(Duration.between(attempts.get(1).at(), attempts.get(2).at()))
                .isGreaterThanOrEqualTo(Duration.ofMillis(500 + 160));
        assertThat(Duration.between(attempts.get(2).at(), attempts.get(3).at()))
                .isGreaterThanOrEqualTo(Duration.ofMillis(320));
        JsonNode entry = log(subscription.id()).getFirst();
        assertThat(entry.get("attempts").asInt()).isEqualTo(4);
        assertThat(entry.get("last_response_status").asInt()).isEqualTo(204);
        assertThat(subscription(subscription.id()).get("enabled").asBoolean()).isTrue();
        assertThat(subscription(subscription.id()).has("failing_since")).isFalse();
    }

    @Test
    void anUnreachableReceiverIsRetriedThenGivenUpAndDisabledAfterItsFailurePeriod() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        Subscription dead = subscribe("http://127.0.0.1:" + closedPort + "/nobody", "*");
        Subscription healthy = subscribe(receiver.url("/healthy"), "*");
        assertThat(api.post("/api/v1/webhooks/" + dead.id() + "/test", "").status())
                .isEqualTo(202);
        Receiver.await(
                "the first delivery to be given up",
                WAIT,
                () -> log(dead.id()).getLast().get("status").asString().equals("failed"));
        JsonNode failed = log(dead.id()).getLast();
        assertThat(failed.get("attempts").asInt()).isEqualTo(4);
        assertThat(failed.get("last_error").asString()).contains("connection");
        assertThat(failed.has("last_response_status")).isFalse();
        assertThat(subscription(dead.id()).get("failing_since").asString()).isNotBlank();
        // keep failing past disable-after (3 s): the subscription is disabled and says why
        Receiver.await("the dead subscription to be disabled", WAIT, () -> {
            if (!subscription(dead.id()).get("enabled").asBoolean()) {
                return true;
            }
            api.post("/api/v1/webhooks/" + dead.id() + "/test", "");
            employee();
            sleep(300);
            return false;
        });
        JsonNode disabled = subscription(dead.id());
        assertThat(disabled.get("disabled_reason").asString()).contains("failed", "connection");
        // the healthy receiver got the employees created meanwhile, none held back by the dead one
        assertThat(receiver.at("/healthy")).isNotEmpty();
        assertThat(types(receiver.at("/healthy"))).containsOnly("employee.created");
        // disabled: no new rows; enabling again clears the reason
        int rows = log(dead.id()).size();
        employee();
        sleep(300);
        assertThat(log(dead.id())).hasSize(rows);
        JsonNode enabled =
                api.patch("/api/v1/webhooks/" + dead.id(), "{\"enabled\":true}").json();
        assertThat(enabled.get("enabled").asBoolean()).isTrue();
        assertThat(enabled.has("disabled_reason")).isFalse();
    }

    @Test
    void aFailingReceiverIsProbedNotFloodedAndItsUntriedDeliveriesWaitWithoutCountingAnAttempt() {
        // the receiver is down for the first 100 ms after the first request reaches it, then recovers
        AtomicInteger refused = new AtomicInteger();
        java.util.concurrent.atomic.AtomicReference<Instant> downSince =
                new java.util.concurrent.atomic.AtomicReference<>();
        receiver.respond = request -> {
            if (!request.path().equals("/down")) {
                return Receiver.Answer.of(200);
            }
            downSince.compareAndSet(null, request.at());
            if (Duration.between(downSince.get(), request.at()).toMillis() < 100) {
                refused.incrementAndGet();
                return Receiver.Answer.of(503);
            }
            return Receiver.Answer.of(200);
        };
        Subscription down = subscribe(receiver.url("/down"), "lead.created");
        subscribe(receiver.url("/up"), "lead.created");
        // thirty leads in one transaction: one batch of thirty resources for each subscription
        transactions.executeWithoutResult(status -> {
            for (int i = 1; i <= 30; i++) {
                events.publishEvent(new LeadCreated(-1000 - i, Map.of("name", "burst " + i)));
            }
        });
        Receiver.await(
                "the healthy receiver to get all thirty",
                WAIT,
                () -> receiver.at("/up").size() == 30);
        Receiver.await(
                "every delivery to the recovered receiver",
                WAIT,
                () -> log(down.id()).stream()
                        .allMatch(e -> e.get("status").asString().equals("succeeded")));
        int failures = refused.get();
        // the batch stopped starting sends once the first failure came back: without that, all thirty go out at
        // once (sixteen at a time) into the outage and fail
        assertThat(failures).as("attempts that met the outage").isBetween(1, 16);
        List<JsonNode> entries = log(down.id());
        assertThat(entries).hasSize(30);
        // the untried deliveries waited for the retry without an attempt counted: one attempt each, their success
        assertThat(entries.stream().filter(e -> e.get("attempts").asInt() == 2)).hasSize(failures);
        assertThat(entries.stream().filter(e -> e.get("attempts").asInt() == 1)).hasSize(30 - failures);
        assertThat(receiver.at("/down")).hasSize(30 + failures);
    }

    @Test
    void gone410DisablesTheSubscriptionAtOnce() {
        receiver.respond = request -> Receiver.Answer.of(request.path().equals("/gone") ? 410 : 200);
        Subscription gone = subscribe(receiver.url("/gone"), "employee.created");
        employee();
        Receiver.await(
                "the subscription to be disabled",
                WAIT,
                () -> !subscription(gone.id()).get("enabled").asBoolean());
        assertThat(subscription(gone.id()).get("disabled_reason").asString()).contains("410");
        JsonNode entry = log(gone.id()).getFirst();
        assertThat(entry.get("status").asString()).isEqualTo("failed");
        assertThat(entry.get("attempts").asInt()).isEqualTo(1);
        assertThat(entry.get("last_response_status").asInt()).isEqualTo(410);
        employee();
        sleep(500);
        assertThat(receiver.at("/gone")).hasSize(1);
        assertProblem(api.post("/api/v1/webhooks/" + gone.id() + "/test", ""), 409);
    }

    @Test
    void eventsOfOneLeadArriveInCommitOrderUnderTwentyParallelWriters() throws Exception {
        // a receiver that fails a fifth of the time, so retries are in play
        receiver.respond =
                request -> Receiver.Answer.of(ThreadLocalRandom.current().nextInt(5) == 0 ? 500 : 200);
        subscribe(receiver.url("/order"), "lead.created", "lead.updated");
        long rep = employee();
        List<Long> leads = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            leads.add(lead(rep).get("id").asLong());
        }
        int writers = 20;
        int updatesEach = 5;
        CountDownLatch start = new CountDownLatch(1);
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Integer>> done = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int writer = w;
                done.add(pool.submit(() -> {
                    start.await();
                    int ok = 0;
                    for (int u = 0; u < updatesEach; u++) {
                        long lead = leads.get((writer + u) % leads.size());
                        ApiClient.Response response =
                                api.patch("/leads/" + lead, "{\"source\":\"w" + writer + "-" + u + "\"}");
                        if (response.status() == 200) {
                            ok++;
                        }
                    }
                    return ok;
                }));
            }
            start.countDown();
            int total = 0;
            for (Future<Integer> f : done) {
                total += f.get();
            }
            assertThat(total).isEqualTo(writers * updatesEach);
        }
        int expected = leads.size() + writers * updatesEach;
        Receiver.await(
                "every event, each once",
                Duration.ofSeconds(60),
                () -> receiver.at("/order").stream()
                                .filter(r -> true)
                                .map(r -> r.header("webhook-id"))
                                .distinct()
                                .count()
                        >= expected);
        // what the receiver accepted (2xx), per lead, must be versions 1, 2, 3 ... in order
        Map<Long, List<Long>> versions = new ConcurrentHashMap<>();
        Set<String> accepted = ConcurrentHashMap.newKeySet();
        for (Receiver.Request request : receiver.at("/order")) {
            JsonNode data = request.json().get("data");
            versions.computeIfAbsent(data.get("id").asLong(), k -> new ArrayList<>())
                    .add(data.get("version").asLong());
            accepted.add(request.header("webhook-id"));
        }
        assertThat(accepted).hasSize(expected);
        for (long lead : leads) {
            List<Long> seen = versions.get(lead);
            List<Long> distinctInOrder = seen.stream().distinct().toList();
            // a retried event is seen again before the next one, never after it
            assertThat(distinctInOrder).as("lead " + lead).isSorted();
            assertThat(distinctInOrder.getFirst())
                    .isEqualTo(api.get("/leads/" + lead).json().get("version").asLong() - (distinctInOrder.size() - 1));
            for (int i = 1; i < seen.size(); i++) {
                assertThat(seen.get(i)).as("lead " + lead + " " + seen).isGreaterThanOrEqualTo(seen.get(i - 1));
            }
        }
    }

    @Test
    void aRotatedSecretSignsAlongsideTheOldOneAndRedeliveryResendsTheSameMessage() {
        Subscription subscription = subscribe(receiver.url("/rotate"), "employee.created");
        employee();
        Receiver.await("the first event", WAIT, () -> receiver.at("/rotate").size() == 1);
        ApiClient.Response rotated = api.post("/api/v1/webhooks/" + subscription.id() + "/rotate-secret", "");
        String next = rotated.json().get("secret").asString();
        employee();
        Receiver.await("the second event", WAIT, () -> receiver.at("/rotate").size() == 2);
        Receiver.Request second = receiver.at("/rotate").get(1);
        assertThat(second.header("webhook-signature").split(" ")).hasSize(2);
        assertThat(Receiver.validSignatures(second, next)).isEqualTo(1);
        assertThat(Receiver.validSignatures(second, subscription.secret())).isEqualTo(1);
        Receiver.Request first = receiver.at("/rotate").getFirst();
        assertThat(first.header("webhook-signature").split(" ")).hasSize(1);

        // redeliver the first: same message id and body, signed with both secrets now
        List<JsonNode> log = log(subscription.id());
        JsonNode original = log.getLast();
        ApiClient.Response again = api.post(
                "/api/v1/webhooks/" + subscription.id() + "/deliveries/"
                        + original.get("id").asLong() + "/redeliver",
                "");
        assertThat(again.status()).as(again.body()).isEqualTo(202);
        assertThat(again.json().get("message_id").asString())
                .isEqualTo(original.get("message_id").asString());
        assertThat(again.json().get("status").asString()).isEqualTo("pending");
        Receiver.await("the redelivery", WAIT, () -> receiver.at("/rotate").size() == 3);
        Receiver.Request third = receiver.at("/rotate").get(2);
        assertThat(third.header("webhook-id")).isEqualTo(first.header("webhook-id"));
        assertThat(third.body()).isEqualTo(first.body());
        assertThat(Receiver.validSignatures(third, next)).isEqualTo(1);

        // ping, and the log's cursor paging
        ApiClient.Response ping = api.post("/api/v1/webhooks/" + subscription.id() + "/test", "");
        assertThat(ping.status()).isEqualTo(202);
        Receiver.await("the ping", WAIT, () -> receiver.at("/rotate").size() == 4);
        JsonNode pingBody = receiver.at("/rotate").get(3).json();
        assertThat(pingBody.get("type").asString()).isEqualTo("ping");
        assertThat(pingBody.get("data").get("subscription_id").asLong()).isEqualTo(subscription.id());
        JsonNode page1 = api.get("/api/v1/webhooks/" + subscription.id() + "/deliveries?limit=3")
                .json();
        assertThat(page1.get("items").size()).isEqualTo(3);
        assertThat(page1.get("items").get(0).get("event_type").asString()).isEqualTo("ping");
        JsonNode page2 = api.get("/api/v1/webhooks/" + subscription.id() + "/deliveries?limit=3&after="
                        + page1.get("next_cursor").asString())
                .json();
        assertThat(page2.get("items").size()).isEqualTo(1);
        assertThat(page2.has("next_cursor")).isFalse();
        assertThat(page2.get("items").get(0).get("id").asLong())
                .isEqualTo(original.get("id").asLong());
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

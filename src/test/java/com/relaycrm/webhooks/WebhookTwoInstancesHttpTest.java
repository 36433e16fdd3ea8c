package com.relaycrm.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import com.relaycrm.testsupport.ApiClient;
import com.relaycrm.testsupport.HttpTestSupport;
import com.relaycrm.testsupport.SecondInstance;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;
import org.springframework.test.context.TestPropertySource;

/** Two instances on one database: events written on either are each delivered exactly once to every subscription. */
@TestPropertySource(
        properties = {
            "relay.webhooks.allow-private=true",
            "relay.webhooks.poll-interval=PT0.1S",
            "relay.jobs.polling-interval=PT0.1S",
            "relay.rate-limit.enabled=false"
        })
class WebhookTwoInstancesHttpTest extends HttpTestSupport {

    @Autowired
    Environment environment;

    @Test
    void eachEventReachesEachSubscriptionExactlyOnce() throws Exception {
        try (Receiver receiver = new Receiver();
                SecondInstance second = SecondInstance.sharing(
                        environment,
                        Map.of(
                                "relay.webhooks.allow-private", "true",
                                "relay.webhooks.poll-interval", "PT0.1S",
                                "relay.jobs.polling-interval", "PT0.1S",
                                "relay.rate-limit.enabled", "false"))) {
            ApiClient other = second.client(api.token());
            int subscriptions = 3;
            for (int s = 0; s < subscriptions; s++) {
                // created on alternating instances: the delivery jobs start wherever the subscription was made
                ApiClient creator = s % 2 == 0 ? api : other;
                ApiClient.Response created = creator.post(
                        "/api/v1/webhooks",
                        "{\"url\":\"%s\",\"events\":[\"employee.created\"]}".formatted(receiver.url("/s" + s)));
                assertThat(created.status()).as(created.body()).isEqualTo(201);
            }
            int employees = 120;
            try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
                List<Future<Integer>> done = new ArrayList<>();
                for (int i = 0; i < employees; i++) {
                    ApiClient client = i % 2 == 0 ? api : other;
                    String name = "two-" + i;
                    done.add(pool.submit(() -> client.post(
                                    "/employees",
                                    "{\"name\":\"%s\",\"email\":\"%s@relay.test\",\"role\":\"SALES_REP\"}"
                                            .formatted(name, name))
                            .status()));
                }
                for (Future<Integer> f : done) {
                    assertThat(f.get()).isEqualTo(201);
                }
            }
            Receiver.await(
                    "every event at every subscription",
                    Duration.ofSeconds(60),
                    () -> receiver.requests.size() >= employees * subscriptions);
            Thread.sleep(1000); // a duplicate would arrive within the next polls
            for (int s = 0; s < subscriptions; s++) {
                Map<String, Long> perMessage = receiver.at("/s" + s).stream()
                        .collect(Collectors.groupingBy(r -> r.header("webhook-id"), Collectors.counting()));
                assertThat(perMessage).as("subscription " + s).hasSize(employees);
                assertThat(perMessage.values()).as("subscription " + s).containsOnly(1L);
            }
            assertThat(receiver.requests.stream()
                            .map(r -> r.json().get("data").get("name").asString())
                            .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()))
                            .values())
                    .hasSize(employees)
                    .containsOnly((long) subscriptions);
        }
    }
}

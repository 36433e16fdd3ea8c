package com.relaycrm.gistwatch;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.task.TaskInstanceId;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import com.relaycrm.testsupport.HttpTestSupport;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Per-user persistent recurring scans: seeded from the environment, and no failing scan ends a schedule. */
class ScanScheduleTest extends HttpTestSupport {

    static final WireMockServer github = Fakes.start();

    @Autowired
    JdbcClient jdbc;

    @Autowired
    SchedulerClient scheduler;

    @Autowired
    org.springframework.core.env.Environment environment;

    @DynamicPropertySource
    static void upstreams(DynamicPropertyRegistry registry) {
        registry.add("github.api-url", github::baseUrl);
        registry.add("pipetest.queried-users", () -> " sched-ok , SCHED-OK,, -bad-, sched-bad,a--b");
        registry.add("pipetest.querying-interval", () -> "7");
        registry.add("relay.jobs.polling-interval", () -> "PT0.2S");
        Fakes.stubGists(github, "sched-ok", List.of("s001"), "\"e-s\"");
        github.stubFor(get(urlPathEqualTo("/users/sched-bad/gists"))
                .willReturn(aResponse().withStatus(500)));
    }

    @AfterAll
    static void stopFakes() {
        github.stop();
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(30);
        while (!condition.getAsBoolean()) {
            assertThat(Instant.now()).as("waiting for " + what).isBefore(deadline);
            Thread.sleep(100);
        }
    }

    private String status(String login) {
        return api.get("/api/v1/github/watched-users/" + login)
                .json()
                .get("status")
                .asString();
    }

    private List<OffsetDateTime> nextRuns(String instance) {
        return jdbc.sql(
                        "SELECT execution_time FROM scheduled_tasks WHERE task_name = 'gistwatch-scan' AND task_instance = :i")
                .param("i", instance)
                .query(OffsetDateTime.class)
                .list();
    }

    @Test
    void environmentUsersAreScannedOnTheirOwnSchedulesAndFailuresDoNotEndThem() throws Exception {
        List<String> current = new ArrayList<>();
        api.get("/getCurrentlyScannedUsers").json().forEach(n -> current.add(n.asString()));
        assertThat(current).containsExactly("sched-bad", "sched-ok");

        await(
                () -> !status("sched-ok").equals("pending")
                        && !status("sched-bad").equals("pending"),
                "first scans");
        assertThat(status("sched-ok")).isEqualTo("ok");
        assertThat(status("sched-bad")).isEqualTo("error");

        // Both rescheduled one interval (7 minutes) ahead, failure or not.
        await(
                () -> !nextRuns("sched-bad").isEmpty()
                        && nextRuns("sched-bad")
                                .getFirst()
                                .toInstant()
                                .isAfter(Instant.now().plus(Duration.ofMinutes(6))),
                "the failed scan to be rescheduled");
        assertThat(nextRuns("sched-ok").getFirst().toInstant())
                .isAfter(Instant.now().plus(Duration.ofMinutes(6)));
        assertThat(jdbc.sql("SELECT count(*) FROM scheduled_tasks WHERE task_name = 'gistwatch-scan'")
                        .query(Long.class)
                        .single())
                .isEqualTo(2);

        // GitHub recovers; the next run of the same schedule succeeds.
        StubMapping fixed = github.stubFor(get(urlPathEqualTo("/users/sched-bad/gists"))
                .atPriority(1)
                .willReturn(aResponse()
                        .withStatus(200)
                        .withHeader("Content-Type", "application/json")
                        .withBody(Fakes.gists("sched-bad", List.of("s002")))));
        scheduler.reschedule(TaskInstanceId.of("gistwatch-scan", "sched-bad"), Instant.now());
        await(() -> status("sched-bad").equals("ok"), "the rescheduled scan");
        assertThat(nextRuns("sched-bad")).hasSize(1);
        github.removeStub(fixed);

        // Removing a user removes its schedule; adding one schedules it.
        assertThat(api.delete("/api/v1/github/watched-users/sched-ok").status()).isEqualTo(204);
        assertThat(nextRuns("sched-ok")).isEmpty();
        assertThat(api.post("/api/v1/github/watched-users", "{\"login\":\"sched-new\"}")
                        .status())
                .isEqualTo(201);
        assertThat(nextRuns("sched-new")).hasSize(1);

        // A restart with a shorter PIPETEST_QUERYING_INTERVAL moves the stored schedules forward.
        await(
                () -> !nextRuns("sched-bad").isEmpty()
                        && nextRuns("sched-bad")
                                .getFirst()
                                .toInstant()
                                .isAfter(Instant.now().plus(Duration.ofMinutes(5))),
                "sched-bad to be scheduled minutes ahead");
        try (Instances.Instance restarted = Instances.start(
                environment,
                java.util.Map.of("pipetest.querying-interval", "2", "relay.gistwatch.first-scan-delay", "PT1H"))) {
            assertThat(nextRuns("sched-bad").getFirst().toInstant())
                    .isBefore(Instant.now().plus(Duration.ofMinutes(2)).plusSeconds(5));
        }
    }
}

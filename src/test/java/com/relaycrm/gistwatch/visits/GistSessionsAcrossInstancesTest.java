package com.relaycrm.gistwatch.visits;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.relaycrm.gistwatch.GistwatchTestFakes;
import com.relaycrm.testsupport.ApiClient;
import com.relaycrm.testsupport.HttpTestSupport;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** /getGists sessions live in PostgreSQL: they work on another instance, survive a restart, and expire. */
class GistSessionsAcrossInstancesTest extends HttpTestSupport {

    static final WireMockServer github = GistwatchTestFakes.start();

    @Autowired
    Environment environment;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    GistSessions sessions;

    @DynamicPropertySource
    static void upstreams(DynamicPropertyRegistry registry) {
        registry.add("github.api-url", github::baseUrl);
        registry.add("pipetest.queried-users", () -> "multi");
        registry.add("relay.gistwatch.first-scan-delay", () -> "PT1H");
        registry.add("relay.gistwatch.session-ttl", () -> "P2D");
    }

    @AfterAll
    static void stopFakes() {
        github.stop();
    }

    private static List<String> ids(ApiClient.Response response) {
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        response.json().forEach(node -> ids.add(node.asString()));
        return ids;
    }

    private static String cookie(ApiClient.Response response) {
        String header = response.header("Set-Cookie").orElseThrow();
        return header.substring(0, header.indexOf(';'));
    }

    @Test
    void sinceLastVisitHoldsAcrossInstancesAndRestartsUntilTheSessionExpires() {
        GistwatchTestFakes.stubGists(github, "multi", List.of("m001", "m002"), "\"e-m-1\"");
        api.post("/api/v1/github/scan", "");
        ApiClient.Response first = api.get("/getGists");
        assertThat(ids(first)).containsExactly("m001", "m002");
        String cookie = cookie(first);
        // a first visit stores nothing: its signed cookie carries what it was shown (issue 20)
        assertThat(cookie).matches("gistwatch_session=[A-Za-z0-9_-]+\\.\\d+\\..*");
        assertThat(sessionRows()).isZero();

        try (var second = GistwatchTestFakes.startInstance(environment, Map.of())) {
            GistwatchTestFakes.stubGists(github, "multi", List.of("m001", "m002", "m003"), "\"e-m-2\"");
            assertThat(second.api()
                            .post("/api/v1/github/scan?login=multi", "")
                            .json()
                            .get("new_gists")
                            .asInt())
                    .isEqualTo(1);
            assertThat(ids(second.api().get("/getGists", "Cookie", cookie))).containsExactly("m003");
            assertThat(ids(api.get("/getGists", "Cookie", cookie))).isEmpty();
        }

        GistwatchTestFakes.stubGists(github, "multi", List.of("m001", "m002", "m003", "m004"), "\"e-m-3\"");
        api.post("/api/v1/github/scan?login=multi", "");
        try (var restarted = GistwatchTestFakes.startInstance(environment, Map.of())) {
            assertThat(ids(restarted.api().get("/getGists", "Cookie", cookie))).containsExactly("m004");
            assertThat(ids(restarted.api().get("/getGists", "Cookie", cookie))).isEmpty();
        }

        // Idle longer than the TTL: treated as unknown (all gists, a new cookie), then purged.
        jdbc.sql("UPDATE gistwatch_session SET last_seen_at = now() - interval '3 days'")
                .update();
        ApiClient.Response expired = api.get("/getGists", "Cookie", cookie);
        assertThat(ids(expired)).containsExactly("m001", "m002", "m003", "m004");
        assertThat(cookie(expired)).isNotEqualTo(cookie);
        assertThat(sessions.purgeExpired()).isEqualTo(1);
        // the expired client starts over as a first visit: no row until it comes back
        assertThat(sessionRows()).isZero();
        assertThat(ids(api.get("/getGists", "Cookie", cookie(expired)))).isEmpty();
        assertThat(sessionRows()).isEqualTo(1);
    }

    private long sessionRows() {
        return jdbc.sql("SELECT count(*) FROM gistwatch_session")
                .query(Long.class)
                .single();
    }
}

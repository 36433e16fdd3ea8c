package com.relaycrm.gistwatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.relaycrm.platform.ApiProblem;
import com.relaycrm.testsupport.HttpTestSupport;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

class GistWatchFacadeTest extends HttpTestSupport {

    static final WireMockServer github = Fakes.start();
    static final WireMockServer pipedrive = Fakes.start();

    @Autowired
    GistWatchApi gistWatch;

    @DynamicPropertySource
    static void upstreams(DynamicPropertyRegistry registry) {
        registry.add("github.api-url", github::baseUrl);
        registry.add("pipedrive.api-url", pipedrive::baseUrl);
        registry.add("pipetest.queried-users", () -> "");
        registry.add("pipetest.piepedrive-api-key", () -> "test-key-1");
        registry.add("pipetest.piepedrive-company-name", () -> "acme");
        registry.add("relay.gistwatch.first-scan-delay", () -> "PT1H");
        registry.add("relay.gistwatch.deal-sync-interval", () -> "PT1H");
    }

    @AfterAll
    static void stopFakes() {
        github.stop();
        pipedrive.stop();
    }

    @Test
    void watchScanSyncAndUnwatch() {
        var added = gistWatch.watch("Octo-Cat");
        assertThat(added.login()).isEqualTo("Octo-Cat");
        assertThat(added.status()).isEqualTo("pending");
        assertThat(added.lastScanAt()).isNull();
        assertThatThrownBy(() -> gistWatch.watch("octo-cat"))
                .isInstanceOfSatisfying(
                        ApiProblem.class, p -> assertThat(p.status().value()).isEqualTo(409));
        assertThatThrownBy(() -> gistWatch.watch("-bad-"))
                .isInstanceOfSatisfying(
                        ApiProblem.class, p -> assertThat(p.status().value()).isEqualTo(422));
        assertThatThrownBy(() -> gistWatch.watch("  "))
                .isInstanceOfSatisfying(
                        ApiProblem.class, p -> assertThat(p.status().value()).isEqualTo(422));

        Fakes.stubGists(github, "Octo-Cat", List.of("g001", "g002", "g003"), "\"e1\"");
        assertThat(api.post("/api/v1/github/scan?login=Octo-Cat", "").status()).isEqualTo(200);
        assertThat(gistWatch.watchedUsers()).singleElement().satisfies(u -> {
            assertThat(u.status()).isEqualTo("ok");
            assertThat(u.lastScanAt()).isNotNull();
            assertThat(u.gistCount()).isEqualTo(3);
        });
        assertThat(gistWatch.recentGists(2))
                .extracting(g -> g.id() + " " + g.syncStatus())
                .containsExactly("g003 pending", "g002 pending");

        Fakes.stubPipedriveEmpty(pipedrive, 77);
        assertThat(api.post("/api/v1/github/deal-sync", "").status()).isEqualTo(200);
        assertThat(gistWatch.recentGists(10)).hasSize(3).allSatisfy(g -> {
            assertThat(g.syncStatus()).isEqualTo("synced");
            assertThat(g.dealId()).isNotNull();
            assertThat(g.htmlUrl()).startsWith("https://gist.github.com/");
        });

        gistWatch.unwatch("OCTO-CAT");
        assertThat(gistWatch.watchedUsers()).isEmpty();
        assertThat(gistWatch.recentGists(10)).hasSize(3); // gists stay
        assertThatThrownBy(() -> gistWatch.unwatch("octo-cat"))
                .isInstanceOfSatisfying(
                        ApiProblem.class, p -> assertThat(p.status().value()).isEqualTo(404));
    }
}

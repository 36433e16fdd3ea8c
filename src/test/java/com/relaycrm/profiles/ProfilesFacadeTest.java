package com.relaycrm.profiles;

import static com.relaycrm.profiles.UpstreamFakes.bbRepo;
import static com.relaycrm.profiles.UpstreamFakes.ghRepo;
import static com.relaycrm.profiles.UpstreamFakes.serverError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.relaycrm.platform.ApiProblem;
import com.relaycrm.profiles.ProfilesApi.Outcome;
import com.relaycrm.profiles.ProfilesApi.Source;
import com.relaycrm.testsupport.HttpTestSupport;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The profile lookup behind the console, on the real database, with GitHub and Bitbucket faked by WireMock. */
class ProfilesFacadeTest extends HttpTestSupport {

    static final UpstreamFakes fakes = new UpstreamFakes().start();

    @Autowired
    ProfilesApi profiles;

    @DynamicPropertySource
    static void upstreams(DynamicPropertyRegistry registry) {
        registry.add("github.api-url", fakes::githubUrl);
        registry.add("github.request-timeout", () -> "3s");
        registry.add("bitbucket.api-url", fakes::bitbucketUrl);
        registry.add("bitbucket.request-timeout", () -> "3s");
        registry.add("relay.profiles.provider-timeout", () -> "8s");
    }

    @AfterAll
    static void stopFakes() {
        fakes.github.stop();
        fakes.bitbucket.stop();
    }

    @BeforeEach
    void resetFakes() {
        fakes.reset();
    }

    private static Source source(ProfilesApi.ProfileLookup lookup, String provider) {
        return lookup.sources().stream()
                .filter(s -> s.provider().equals(provider))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void mergesBothProvidersAndServesTheCacheNext() {
        fakes.githubUser("merge-dev", 42, 7, List.of(ghRepo("alpha", false, 10, 2, 100, "Python", "cli")));
        fakes.bitbucketWorkspace("merge-dev", List.of(bbRepo("one", false, 3, 2048, "java")), 100);
        var lookup = profiles.lookup("Merge-Dev", false);
        assertThat(lookup.outcome()).isEqualTo(Outcome.PROFILE);
        assertThat(lookup.profile().followersCount()).isEqualTo(42);
        assertThat(lookup.profile().publicReposCount()).isEqualTo(2);
        assertThat(lookup.profile().watcherCount()).isEqualTo(13);
        assertThat(lookup.profile().languages()).containsExactlyInAnyOrder("Python", "java");
        assertThat(((Number) lookup.figures().get("stars_given")).longValue()).isEqualTo(7);
        assertThat(source(lookup, "github").status()).isEqualTo("ok");
        assertThat(source(lookup, "bitbucket").status()).isEqualTo("ok");
        assertThat(source(lookup, "bitbucket_followers").status()).isEqualTo("unavailable");

        var again = profiles.lookup("merge-dev", false);
        assertThat(source(again, "github").cached()).isTrue();
        assertThat(profiles.lastBuilt("merge-dev")).isPresent();
    }

    @Test
    void aFailingProviderStillGivesAProfileWithItsStatus() {
        fakes.githubUser("half-dev", 5, 0, List.of(ghRepo("alpha", false, 1, 0, 10, "Go")));
        fakes.bitbucketAnswers("half-dev", serverError());
        var lookup = profiles.lookup("half-dev", false);
        assertThat(lookup.outcome()).isEqualTo(Outcome.PROFILE);
        assertThat(lookup.profile().followersCount()).isEqualTo(5);
        assertThat(source(lookup, "bitbucket").status()).isEqualTo("error");
        assertThat(source(lookup, "bitbucket").detail()).isNotBlank();
    }

    @Test
    void theApisFailureOutcomes() {
        fakes.githubMissing("nobody-dev");
        fakes.bitbucketMissing("nobody-dev");
        var missing = profiles.lookup("nobody-dev", false);
        assertThat(missing.outcome()).isEqualTo(Outcome.NOT_FOUND);
        assertThat(missing.outcome().status()).isEqualTo(404);
        assertThat(missing.profile()).isNull();
        assertThat(source(missing, "github").status()).isEqualTo("not_found");

        fakes.githubAnswers("broken-dev", serverError());
        fakes.bitbucketAnswers("broken-dev", serverError());
        var broken = profiles.lookup("broken-dev", false);
        assertThat(broken.outcome()).isEqualTo(Outcome.UPSTREAM_FAILED);
        assertThat(broken.outcome().status()).isEqualTo(502);
        // the same answer as the API
        assertProblem(api.post("/api/v1/aggregate", "{\"username\": \"broken-dev\"}"), 502);

        assertThatThrownBy(() -> profiles.lookup("../etc", false))
                .isInstanceOfSatisfying(
                        ApiProblem.class, p -> assertThat(p.status().value()).isEqualTo(422));
        assertThatThrownBy(() -> profiles.lookup(null, false)).isInstanceOf(ApiProblem.class);
    }
}

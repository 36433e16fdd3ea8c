package com.relaycrm.profiles;

import static com.relaycrm.profiles.UpstreamFakes.bbRepo;
import static com.relaycrm.profiles.UpstreamFakes.ghRepo;

import com.github.tomakehurst.wiremock.WireMockServer;
import java.util.List;

/** Public doors to the package-private GitHub and Bitbucket fakes, for tests in other packages (the console). */
public final class ProfilesTestFakes {

    private final UpstreamFakes fakes = new UpstreamFakes().start();

    public WireMockServer github() {
        return fakes.github;
    }

    public WireMockServer bitbucket() {
        return fakes.bitbucket;
    }

    public void stop() {
        fakes.github.stop();
        fakes.bitbucket.stop();
    }

    /**
     * A developer on both providers: GitHub 42 followers, 7 stars given, repositories alpha (Python, 10 stars) and
     * beta (JavaScript, 5 stars); Bitbucket repositories one (python, 3 watchers) and two (java, 1 watcher).
     */
    public void developer(String name) {
        fakes.githubUser(
                name,
                42,
                7,
                List.of(
                        ghRepo("alpha", false, 10, 2, 100, "Python", "cli"),
                        ghRepo("beta", false, 5, 1, 50, "JavaScript", "web")));
        fakes.bitbucketWorkspace(
                name, List.of(bbRepo("one", false, 3, 2048, "python"), bbRepo("two", false, 1, 1024, "java")), 100);
    }

    /** On GitHub only; Bitbucket answers 500. */
    public void githubOnly(String name) {
        fakes.githubUser(name, 5, 0, List.of(ghRepo("solo", false, 2, 0, 10, "Go")));
        fakes.bitbucketAnswers(name, UpstreamFakes.serverError());
    }

    public void nowhere(String name) {
        fakes.githubMissing(name);
        fakes.bitbucketMissing(name);
    }
}

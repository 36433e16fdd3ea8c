package com.relaycrm.console.github;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.relaycrm.gistwatch.GistwatchTestFakes;
import com.relaycrm.platform.Role;
import com.relaycrm.profiles.ProfilesTestFakes;
import com.relaycrm.testsupport.BrowserTestSupport;
import com.relaycrm.testsupport.ConsoleClient;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The GitHub page in headless Chromium, with GitHub, Bitbucket and Pipedrive faked by WireMock. */
class GitHubBrowserTest extends BrowserTestSupport {

    static final ProfilesTestFakes upstreams = new ProfilesTestFakes();
    static final WireMockServer pipedrive = GistwatchTestFakes.start();

    @DynamicPropertySource
    static void fakes(DynamicPropertyRegistry registry) {
        registry.add("github.api-url", () -> upstreams.github().baseUrl());
        registry.add("github.request-timeout", () -> "3s");
        registry.add("bitbucket.api-url", () -> upstreams.bitbucket().baseUrl());
        registry.add("bitbucket.request-timeout", () -> "3s");
        registry.add("pipedrive.api-url", pipedrive::baseUrl);
        registry.add("pipetest.queried-users", () -> "");
        registry.add("pipetest.piepedrive-api-key", () -> "test-key-1");
        registry.add("pipetest.piepedrive-company-name", () -> "acme");
        registry.add("relay.gistwatch.first-scan-delay", () -> "PT1H");
        registry.add("relay.gistwatch.deal-sync-interval", () -> "PT1H");
    }

    @AfterAll
    static void stopFakes() {
        upstreams.stop();
        pipedrive.stop();
    }

    private static WebElement row(WebDriver browser, String login) {
        return browser.findElement(By.cssSelector("#watched-table tr[data-login='" + login + "']"));
    }

    @Test
    void watchScanSyncAndRemoveAUser() {
        WebDriver browser = signedInBrowser("sara", Role.SALES);
        browser.get(url("/console/github"));
        browser.findElement(By.id("watch-login")).sendKeys("octo-cat");
        browser.findElement(By.cssSelector("#watch-form button[type=submit]")).click();
        waitFor(browser)
                .until(ExpectedConditions.presenceOfElementLocated(
                        By.cssSelector("#watched-table tr[data-login='octo-cat']")));
        assertThat(row(browser, "octo-cat").getText()).contains("pending", "not yet");
        assertThat(browser.findElement(By.cssSelector("#watched .notice")).getText())
                .contains("Now watching octo-cat");

        // watching twice is the API's 409, as a message
        browser.findElement(By.id("watch-login")).sendKeys("Octo-Cat");
        browser.findElement(By.cssSelector("#watch-form button[type=submit]")).click();
        waitFor(browser)
                .until(ExpectedConditions.textToBePresentInElementLocated(
                        By.cssSelector("#watched .problem"), "already watched"));

        // a scan and a deal sync later, the page shows the status, the last scan and the gists' deals
        GistwatchTestFakes.stubGists(upstreams.github(), "octo-cat", List.of("g001", "g002", "g003"), "\"e1\"");
        GistwatchTestFakes.stubPipedriveEmpty(pipedrive, 77);
        assertThat(api.post("/api/v1/github/scan?login=octo-cat", "").status()).isEqualTo(200);
        assertThat(api.post("/api/v1/github/deal-sync", "").status()).isEqualTo(200);
        browser.get(url("/console/github"));
        WebElement user = row(browser, "octo-cat");
        assertThat(user.findElement(By.cssSelector("td:nth-of-type(1)")).getText())
                .isEqualTo("ok");
        assertThat(user.findElement(By.cssSelector("td:nth-of-type(2)")).getText())
                .isNotEqualTo("not yet");
        assertThat(user.findElement(By.cssSelector("td:nth-of-type(3)")).getText())
                .isEqualTo("3");
        List<WebElement> gists = browser.findElements(By.cssSelector("#gists-table tr[data-gist]"));
        assertThat(gists)
                .extracting(g -> g.getDomAttribute("data-gist") + " " + g.getDomAttribute("data-sync"))
                .containsExactly("g003 synced", "g002 synced", "g001 synced");
        screenshot(browser, "github");

        // remove (after the confirmation): the row goes, the gists stay
        user.findElement(By.cssSelector("button.danger")).click();
        browser.switchTo().alert().accept();
        waitFor(browser)
                .until(ExpectedConditions.textToBePresentInElementLocated(
                        By.cssSelector("#watched .notice"), "Stopped watching octo-cat"));
        assertThat(browser.findElements(By.cssSelector("#watched-table tr[data-login]")))
                .isEmpty();
        assertThat(api.get("/api/v1/github/watched-users").json().size()).isZero();
        assertThat(browser.findElements(By.cssSelector("#gists-table tr[data-gist]")))
                .hasSize(3);
    }

    @Test
    void profileLookupShowsTheMergedProfileAndEachSourcesStatus() {
        upstreams.developer("merge-dev");
        upstreams.githubOnly("half-dev");
        upstreams.nowhere("ghost-dev");
        WebDriver browser = signedInBrowser("sam", Role.SALES);
        browser.get(url("/console/github"));

        lookUp(browser, "merge-dev");
        waitFor(browser)
                .until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("[data-testid=profile-facts]")));
        assertThat(figure(browser, "followers_count")).isEqualTo("42");
        assertThat(figure(browser, "public_repos_count")).isEqualTo("4");
        assertThat(figure(browser, "watcher_count")).isEqualTo(String.valueOf(10 + 5 + 3 + 1));
        assertThat(figure(browser, "stars_given")).isEqualTo("7");
        assertThat(figure(browser, "languages")).contains("Python", "JavaScript", "java");
        assertThat(status(browser, "github")).isEqualTo("ok");
        assertThat(status(browser, "bitbucket")).isEqualTo("ok");
        screenshot(browser, "github-profile");

        // one provider failing: still a profile, and the failing source says so
        lookUp(browser, "half-dev");
        waitFor(browser)
                .until(ExpectedConditions.presenceOfElementLocated(
                        By.cssSelector("#profile-sources tr[data-source=bitbucket][data-status=error]")));
        assertThat(figure(browser, "followers_count")).isEqualTo("5");
        assertThat(status(browser, "github")).isEqualTo("ok");
        screenshot(browser, "github-profile-partial");

        // neither has the name: the API's 404 as a message, with both sources' status
        lookUp(browser, "ghost-dev");
        waitFor(browser)
                .until(ExpectedConditions.textToBePresentInElementLocated(
                        By.cssSelector("[data-testid=profile-problem]"), "Neither GitHub nor Bitbucket has this name"));
        assertThat(status(browser, "github")).isEqualTo("not_found");
        assertThat(status(browser, "bitbucket")).isEqualTo("not_found");

        lookUp(browser, "bad/name");
        waitFor(browser)
                .until(ExpectedConditions.textToBePresentInElementLocated(
                        By.cssSelector("[data-testid=profile-problem]"), "1-39 characters"));
    }

    @Test
    void viewersReadButDoNotChange() {
        ConsoleClient console = new ConsoleClient(port);
        console.signIn(tokenFor("vic", Role.VIEWER));
        ConsoleClient.Page page = console.get("/console/github");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).doesNotContain("id=\"watch-form\"");
        assertThat(console.postForm("/console/github/watched", Map.of("login", "someone"))
                        .status())
                .isEqualTo(403);
        assertThat(console.postForm("/console/github/profile", Map.of("name", "merge-dev"))
                        .status())
                .isEqualTo(403);
        assertThat(api.get("/api/v1/github/watched-users").json().size()).isZero();
    }

    private static void lookUp(WebDriver browser, String name) {
        WebElement field = browser.findElement(By.id("profile-name"));
        field.clear();
        field.sendKeys(name);
        browser.findElement(By.cssSelector("#profile-form button[type=submit]")).click();
    }

    private static String figure(WebDriver browser, String name) {
        return browser.findElement(By.cssSelector("[data-figure=" + name + "]")).getText();
    }

    private static String status(WebDriver browser, String source) {
        return browser.findElement(By.cssSelector("#profile-sources tr[data-source=" + source + "]"))
                .getDomAttribute("data-status");
    }
}

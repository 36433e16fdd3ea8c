package com.relaycrm.console.imports;

import static org.assertj.core.api.Assertions.assertThat;

import com.relaycrm.platform.Role;
import com.relaycrm.testsupport.ApiClient;
import com.relaycrm.testsupport.BrowserTestSupport;
import com.relaycrm.testsupport.ConsoleClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Uploading a visit CSV in headless Chromium and following its progress to 100 % and its counts. */
class ImportBrowserTest extends BrowserTestSupport {

    @TempDir
    Path files;

    @DynamicPropertySource
    static void smallChunks(DynamicPropertyRegistry registry) {
        // Several chunks, so the progress bar has steps to show between 0 and 100 %.
        registry.add("relay.fieldservice.import.chunk-rows", () -> "2000");
        registry.add("relay.jobs.polling-interval", () -> "PT0.2S");
    }

    private static final String HEADER = "id_atendimento;id_cliente;angel;polo;data_limite;data_de_atendimento\n";

    /** {@code rows} good rows plus three bad ones (lines known), as a file the browser can pick. */
    private Path csv(String name, int rows) throws Exception {
        StringBuilder csv = new StringBuilder(HEADER);
        for (int i = 1; i <= rows; i++) {
            csv.append(800_000 + i)
                    .append(";")
                    .append(i % 50 + 1)
                    .append(";Angel ")
                    .append(i % 7)
                    .append(";SP - SANTOS;30/06/2021;")
                    .append(i % 3 == 0 ? "" : "29/06/2021 10:00")
                    .append("\n");
        }
        csv.append("900001;1;Ana;SP - SANTOS;31/02/2021;\n"); // line rows+2: impossible date
        csv.append("900002;x;Ana;SP - SANTOS;30/06/2021;\n"); // line rows+3: not a number
        csv.append("800001;1;Ana;SP - SANTOS;30/06/2021;\n"); // line rows+4: duplicate of line 2
        Path file = files.resolve(name);
        Files.writeString(file, csv, StandardCharsets.UTF_8);
        return file;
    }

    @Test
    void uploadFollowsTheProgressToOneHundredPercentAndShowsTheCounts() throws Exception {
        int rows = 20_000;
        Path file = csv("visits.csv", rows);
        WebDriver browser = signedInBrowser("otto", Role.AGENT);
        browser.get(url("/console/imports"));
        screenshot(browser, "imports");

        // a dry run first: counted, nothing saved
        browser.findElement(By.id("csv-file")).sendKeys(file.toString());
        browser.findElement(By.name("dry_run")).click();
        browser.findElement(By.cssSelector("#upload-form button[type=submit]")).click();
        List<Integer> seen = followToTheEnd(browser);
        assertThat(seen).last().isEqualTo(100);
        assertThat(count(browser, "inserted")).isEqualTo(rows);
        assertThat(count(browser, "rejected")).isEqualTo(3);
        assertThat(api.get("/api/v1/atendimento?per_page=1").json().get("total").asLong())
                .isZero();

        browser.get(url("/console/imports"));
        browser.findElement(By.id("csv-file")).sendKeys(file.toString());
        browser.findElement(By.cssSelector("#upload-form button[type=submit]")).click();
        seen = followToTheEnd(browser);
        // the bar only moves forward and ends full
        assertThat(seen).isSorted().last().isEqualTo(100);
        assertThat(browser.findElement(By.cssSelector("[data-testid=import-state]"))
                        .getText())
                .isEqualTo("SUCCESS");
        assertThat(count(browser, "total_rows")).isEqualTo(rows + 3);
        assertThat(count(browser, "inserted")).isEqualTo(rows);
        assertThat(count(browser, "updated")).isZero();
        assertThat(count(browser, "rejected")).isEqualTo(3);
        // past 10,000 the list's total is a bound unless counted exactly
        assertThat(api.get("/api/v1/atendimento?per_page=1&exact_total=true")
                        .json()
                        .get("total")
                        .asLong())
                .isEqualTo(rows);
        // the rejected lines, on the page and as a download
        assertThat(browser.findElements(By.cssSelector("#rejected-table tbody tr")))
                .extracting(r -> r.findElement(By.tagName("td")).getText())
                .containsExactly(String.valueOf(rows + 2), String.valueOf(rows + 3), String.valueOf(rows + 4));
        String download = browser.findElement(By.cssSelector("[data-testid=rejected-download]"))
                .getDomAttribute("href");
        String taskPath = browser.getCurrentUrl().substring(url("").length());
        assertThat(taskPath).startsWith("/console/imports/");
        screenshot(browser, "imports-done");

        ConsoleClient console = new ConsoleClient(port);
        console.signIn(tokenFor("olga", Role.VIEWER));
        ConsoleClient.Page csv = console.get(download);
        assertThat(csv.status()).isEqualTo(200);
        assertThat(csv.header("Content-Type").orElseThrow()).startsWith("text/csv");
        String taskId = taskPath.substring("/console/imports/".length());
        ApiClient.Response apiCsv = api.get("/api/v1/atendimento/task_status/" + taskId + "/errors.csv");
        assertThat(csv.body()).isEqualTo(apiCsv.body());
        assertThat(csv.body().split("\r\n")).hasSize(4);
        // a viewer can follow the import but not start one
        assertThat(console.get(taskPath).body()).contains("SUCCESS").doesNotContain("id=\"upload-form\"");
        assertThat(console.postForm("/console/imports", Map.of()).status()).isEqualTo(403);
    }

    @Test
    void aRefusedFileIsAReadableMessage() throws Exception {
        Path bad = files.resolve("bad.csv");
        Files.writeString(bad, "a;b;c\n1;2;3\n");
        WebDriver browser = signedInBrowser("ada", Role.ADMIN);
        browser.get(url("/console/imports"));
        browser.findElement(By.id("csv-file")).sendKeys(bad.toString());
        browser.findElement(By.cssSelector("#upload-form button[type=submit]")).click();
        waitFor(browser)
                .until(ExpectedConditions.textToBePresentInElementLocated(
                        By.cssSelector("[data-messages] .problem"), "id_atendimento"));
        assertThat(browser.getPageSource()).doesNotContain("Exception");

        ConsoleClient console = new ConsoleClient(port);
        console.signIn(tokenFor("ari", Role.ADMIN));
        assertThat(console.get("/console/imports/not-a-task").status()).isEqualTo(404);
        assertThat(console.get("/console/imports/" + java.util.UUID.randomUUID())
                        .body())
                .contains("No import task");
    }

    /** Percentages shown while the page polls, until the counts appear. */
    private static List<Integer> followToTheEnd(WebDriver browser) {
        List<Integer> seen = new ArrayList<>();
        new WebDriverWait(browser, Duration.ofSeconds(90))
                .pollingEvery(Duration.ofMillis(50))
                .until(b -> {
                    try {
                        String percent = b.findElement(By.cssSelector("[data-testid=import-percent]"))
                                .getText();
                        int value = Integer.parseInt(percent.replace("%", "").strip());
                        if (seen.isEmpty() || seen.getLast() != value) {
                            seen.add(value);
                        }
                        return !b.findElements(By.cssSelector("[data-testid=import-counts]"))
                                .isEmpty();
                    } catch (org.openqa.selenium.NoSuchElementException
                            | org.openqa.selenium.StaleElementReferenceException
                            | NumberFormatException e) {
                        return false;
                    }
                });
        String last = browser.findElement(By.cssSelector("[data-testid=import-percent]"))
                .getText();
        int value = Integer.parseInt(last.replace("%", "").strip());
        if (seen.isEmpty() || seen.getLast() != value) {
            seen.add(value);
        }
        return seen;
    }

    private static long count(WebDriver browser, String name) {
        return Long.parseLong(browser.findElement(By.cssSelector("[data-count=" + name + "]"))
                .getText()
                .strip());
    }
}

package com.relaycrm.console.fieldservice;

import static org.assertj.core.api.Assertions.assertThat;

import com.relaycrm.platform.Role;
import com.relaycrm.testsupport.BrowserTestSupport;
import com.relaycrm.testsupport.ConsoleClient;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import tools.jackson.databind.json.JsonMapper;

/**
 * The field-service dashboard in headless Chromium: the charts draw the numbers computed here from the visits this
 * test loads, filters update them in place (htmx), and the visits table pages.
 */
class FieldServiceBrowserTest extends BrowserTestSupport {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    record Loaded(String angel, String polo, LocalDate limit, LocalDateTime visited) {

        boolean attended() {
            return visited != null;
        }

        boolean onTime() {
            return !visited.toLocalDate().isAfter(limit);
        }

        String uf() {
            return polo.substring(0, 2);
        }
    }

    private static final List<Loaded> VISITS = dataset();
    private static boolean loaded;

    /** 3 polos, 4 angels, June-July 2021, some late, some pending; deterministic. */
    private static List<Loaded> dataset() {
        String[] polos = {"SP - SANTOS", "RJ - NITEROI", "SP - CAMPINAS"};
        String[] angels = {"Ana Lima", "Bruno Sena", "Carla Torres", "Davi Neves"};
        List<Loaded> visits = new ArrayList<>();
        for (int i = 0; i < 36; i++) {
            LocalDate limit = LocalDate.of(2021, 6, 21).plusDays(i % 20);
            LocalDateTime visited = i % 9 == 4 ? null : limit.atTime(10, 0).plusDays(i % 5 == 0 ? 2 : -(i % 3));
            visits.add(new Loaded(angels[i % 4], polos[(i / 4) % 3], limit, visited));
        }
        return visits;
    }

    @BeforeEach
    void load() {
        if (loaded) {
            return;
        }
        loaded = true;
        long id = 700_000;
        for (Loaded v : VISITS) {
            String body = "{\"id_atendimento\": " + id++ + ", \"id_cliente\": 3, \"angel\": \"" + v.angel()
                    + "\", \"polo\": \"" + v.polo() + "\", \"data_limite\": \"" + v.limit() + "\""
                    + (v.visited() == null ? "" : ", \"data_de_atendimento\": \"" + v.visited() + "\"") + "}";
            assertThat(api.post("/api/v1/atendimento", body).status()).isEqualTo(201);
        }
    }

    /** SLA % per group, as the module's rule: on time / attended x 100, 2 decimals half-up. */
    private static Map<String, BigDecimal> expectedSla(
            Function<Loaded, String> group, java.util.function.Predicate<Loaded> filter) {
        Map<String, List<Loaded>> groups = VISITS.stream()
                .filter(Loaded::attended)
                .filter(filter)
                .collect(Collectors.groupingBy(group, TreeMap::new, Collectors.toList()));
        Map<String, BigDecimal> sla = new TreeMap<>();
        groups.forEach((name, visits) -> sla.put(
                name,
                BigDecimal.valueOf(visits.stream().filter(Loaded::onTime).count() * 100)
                        .divide(BigDecimal.valueOf(visits.size()), 2, RoundingMode.HALF_UP)));
        return sla;
    }

    /** The labels and values the chart was drawn with, as Chart.js received them. */
    private static Map<String, BigDecimal> drawn(WebDriver browser, String canvasId) {
        WebElement canvas = waitFor(browser)
                .until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#" + canvasId + "[data-drawn]")));
        List<String> labels = List.of(JSON.readValue(canvas.getDomAttribute("data-labels"), String[].class));
        List<BigDecimal> values = List.of(JSON.readValue(canvas.getDomAttribute("data-values"), BigDecimal[].class));
        Map<String, BigDecimal> drawn = new TreeMap<>();
        for (int i = 0; i < labels.size(); i++) {
            drawn.put(labels.get(i), values.get(i).setScale(2, RoundingMode.UNNECESSARY));
        }
        return drawn;
    }

    private static String tableCell(WebDriver browser, String tableId, String rowName, int column) {
        return browser.findElement(By.xpath("//table[@id='" + tableId + "']//tr[th[normalize-space()='" + rowName
                        + "']]/td[" + column + "]"))
                .getDomProperty("textContent")
                .strip();
    }

    @Test
    void chartsDrawTheComputedSlaAndFiltersUpdateThemInPlace() {
        WebDriver browser = signedInBrowser("dina", Role.VIEWER);
        browser.get(url("/console/field"));

        Map<String, BigDecimal> perPolo = expectedSla(Loaded::polo, v -> true);
        Map<String, BigDecimal> perAngel = expectedSla(Loaded::angel, v -> true);
        assertThat(perPolo).hasSize(3);
        assertThat(drawn(browser, "sla-polo")).isEqualTo(perPolo);
        assertThat(drawn(browser, "sla-angel")).isEqualTo(perAngel);
        // the accessible table carries the same numbers
        perPolo.forEach((polo, sla) ->
                assertThat(tableCell(browser, "sla-polo-table", polo, 4)).isEqualTo(sla.toPlainString()));
        long santosAttended = VISITS.stream()
                .filter(v -> v.attended() && v.polo().equals("SP - SANTOS"))
                .count();
        assertThat(tableCell(browser, "sla-polo-table", "SP - SANTOS", 1)).isEqualTo(String.valueOf(santosAttended));
        // the chart's box was sized before drawing: the canvas fills it, nothing below moved
        assertThat(browser.findElement(By.id("sla-polo")).getSize().getHeight())
                .isEqualTo(browser.findElement(By.cssSelector("#sla-polo-figure .chart-box"))
                        .getSize()
                        .getHeight());
        screenshot(browser, "field-service");

        // UF filter through htmx: the page is not reloaded, the charts are redrawn with the SP figures only
        ((org.openqa.selenium.JavascriptExecutor) browser).executeScript("window.notReloaded = true");
        WebElement uf = browser.findElement(By.id("f-uf"));
        uf.sendKeys("SP", Keys.TAB);
        waitFor(browser).until(b -> drawnOrEmpty(b, "sla-polo").size() == 2);
        assertThat(((org.openqa.selenium.JavascriptExecutor) browser).executeScript("return window.notReloaded"))
                .isEqualTo(true);
        assertThat(drawn(browser, "sla-polo")).isEqualTo(expectedSla(Loaded::polo, v -> v.uf().equals("SP")));
        assertThat(drawn(browser, "sla-angel")).isEqualTo(expectedSla(Loaded::angel, v -> v.uf().equals("SP")));

        // a period: SLA by visit date and productivity per angel over its business days
        setDate(browser, "f-start", "2021-07-01");
        setDate(browser, "f-end", "2021-07-09");
        browser.findElement(By.cssSelector("#indicator-filters button[type=submit]"))
                .click();
        waitFor(browser)
                .until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#productivity-angel[data-drawn]")));
        LocalDate from = LocalDate.of(2021, 7, 1);
        LocalDate to = LocalDate.of(2021, 7, 9);
        java.util.function.Predicate<Loaded> inPeriod = v -> v.uf().equals("SP")
                && !v.visited().toLocalDate().isBefore(from)
                && !v.visited().toLocalDate().isAfter(to);
        assertThat(drawn(browser, "sla-angel")).isEqualTo(expectedSla(Loaded::angel, inPeriod));
        long businessDays = from.datesUntil(to.plusDays(1))
                .filter(d -> d.getDayOfWeek().getValue() <= 5)
                .count(); // no holidays loaded
        Map<String, BigDecimal> productivity = new TreeMap<>();
        VISITS.stream()
                .filter(Loaded::attended)
                .filter(inPeriod)
                .collect(Collectors.groupingBy(Loaded::angel, Collectors.counting()))
                .forEach((angel, count) -> productivity.put(
                        angel,
                        BigDecimal.valueOf(count).divide(BigDecimal.valueOf(businessDays), 2, RoundingMode.HALF_UP)));
        assertThat(drawn(browser, "productivity-angel")).isEqualTo(productivity);
        screenshot(browser, "field-service-filtered");
    }

    private static Map<String, BigDecimal> drawnOrEmpty(WebDriver browser, String canvasId) {
        List<WebElement> canvases = browser.findElements(By.cssSelector("#" + canvasId + "[data-drawn]"));
        if (canvases.isEmpty()) {
            return Map.of();
        }
        try {
            return drawn(browser, canvasId);
        } catch (org.openqa.selenium.StaleElementReferenceException e) {
            return Map.of();
        }
    }

    private static void setDate(WebDriver browser, String id, String isoDate) {
        ((org.openqa.selenium.JavascriptExecutor) browser)
                .executeScript("document.getElementById(arguments[0]).value = arguments[1]", id, isoDate);
    }

    @Test
    void visitsTableFiltersAndPages() {
        WebDriver browser = signedInBrowser("vera", Role.VIEWER);
        browser.get(url("/console/field?per_page=10"));
        long total = VISITS.size();
        WebElement summary = browser.findElement(By.cssSelector("[data-testid=visit-total]"));
        assertThat(summary.getText()).startsWith(total + " visits; page 1 of 4");
        assertThat(browser.findElements(By.cssSelector("#visits-table tbody tr")))
                .hasSize(10);
        browser.findElement(By.cssSelector("#visits a[rel=next]")).click();
        waitFor(browser)
                .until(ExpectedConditions.textToBePresentInElementLocated(
                        By.cssSelector("[data-testid=visit-total]"), "page 2 of 4"));

        new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("v-status"))).selectByValue("PENDING");
        browser.findElement(By.cssSelector("#visit-filters button[type=submit]"))
                .click();
        long pending = VISITS.stream().filter(v -> !v.attended()).count();
        waitFor(browser)
                .until(ExpectedConditions.textToBePresentInElementLocated(
                        By.cssSelector("[data-testid=visit-total]"), pending + " visits; page 1 of 1"));
        assertThat(browser.findElements(By.cssSelector("#visits-table tbody tr")))
                .hasSize((int) pending);
        screenshot(browser, "field-service-visits");

        // a bad filter is a readable message, not an error page
        browser.findElement(By.id("v-ext")).sendKeys("abc");
        browser.findElement(By.cssSelector("#visit-filters button[type=submit]"))
                .click();
        waitFor(browser)
                .until(ExpectedConditions.textToBePresentInElementLocated(
                        By.cssSelector("#visits .problem"), "id_atendimento"));
    }

    @Test
    void fitsAPhoneWidthScreen() {
        WebDriver phone = newBrowser(390, 844);
        signIn(phone, tokenFor("pia", Role.VIEWER));
        phone.get(url("/console/field"));
        waitFor(phone).until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#sla-polo[data-drawn]")));
        // nothing wider than the screen: the page does not scroll sideways (wide tables scroll inside their box)
        Object overflow = ((org.openqa.selenium.JavascriptExecutor) phone)
                .executeScript("return document.documentElement.scrollWidth - document.documentElement.clientWidth");
        assertThat(((Number) overflow).intValue()).isLessThanOrEqualTo(0);
        screenshot(phone, "field-service-phone");
    }

    @Test
    void badParametersAreReadable() {
        ConsoleClient console = new ConsoleClient(port);
        console.signIn(tokenFor("rita", Role.VIEWER));
        ConsoleClient.Page page = console.get("/console/field?start_date=2021-07-09&end_date=2021-07-01");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains("must not be after end_date").doesNotContain("Exception");
        ConsoleClient.Page fragment = console.get("/console/field/indicators?uf=SP", "HX-Request", "true");
        assertThat(fragment.status()).isEqualTo(200);
        assertThat(fragment.body()).startsWith("<div id=\"indicators\"").doesNotContain("<html");
    }
}

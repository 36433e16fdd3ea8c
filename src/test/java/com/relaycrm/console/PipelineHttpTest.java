package com.relaycrm.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.relaycrm.testsupport.ConsoleClient;
import com.relaycrm.testsupport.HttpTestSupport;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PipelineHttpTest extends HttpTestSupport {

    private ConsoleFixtures sales;

    @BeforeEach
    void fixtures() {
        sales = new ConsoleFixtures(api);
    }

    private ConsoleClient signedIn(String role) {
        ConsoleClient browser = new ConsoleClient(port);
        ConsoleClient.Page page = browser.signIn(sales.token(ConsoleFixtures.unique("u"), role));
        assertThat(page.status()).as(page.body()).isEqualTo(302);
        return browser;
    }

    private static Element column(Document board, String status) {
        return board.selectFirst("section.column[data-status=" + status + "]");
    }

    @Test
    void theBoardCountsAndSumsEveryMatchingLeadPerStatus() {
        long ana = sales.employee("Ana " + ConsoleFixtures.unique("a"));
        long bob = sales.employee("Bob " + ConsoleFixtures.unique("b"));
        String tag = ConsoleFixtures.unique("pipe");
        for (int i = 0; i < 22; i++) {
            sales.lead(ana, tag + " bulk " + i, "100.25", "fair");
        }
        long contacted =
                sales.lead(ana, tag + " contacted", "2000", "web").get("id").asLong();
        sales.status(contacted, "Contacted");
        sales.lead(bob, tag + " bob", null, "web");

        ConsoleClient browser = signedIn("VIEWER");
        ConsoleClient.Page page = browser.get("/console/pipeline?q=" + tag);
        assertThat(page.status()).as(page.body()).isEqualTo(200);
        Document board = Jsoup.parse(page.body());
        assertThat(board.select("section.column").eachAttr("data-status"))
                .containsExactly("New", "Contacted", "Qualified", "Proposal", "Negotiation", "Won", "Lost");
        Element fresh = column(board, "New");
        assertThat(fresh.selectFirst("[data-testid=count]").text()).isEqualTo("23");
        assertThat(fresh.selectFirst("[data-testid=sum]").text()).isEqualTo("2,205.50 EUR");
        assertThat(fresh.select("ol li")).hasSize(20);
        assertThat(fresh.text()).contains("Newest 20 of 23");
        assertThat(column(board, "Contacted").selectFirst("[data-testid=count]").text())
                .isEqualTo("1");
        assertThat(column(board, "Contacted").selectFirst("[data-testid=sum]").text())
                .isEqualTo("2,000.00 EUR");
        assertThat(column(board, "Won").selectFirst("[data-testid=count]").text())
                .isEqualTo("0");

        Document bobs = Jsoup.parse(browser.get("/console/pipeline?q=" + tag + "&assigned_to=" + bob)
                .body());
        assertThat(column(bobs, "New").selectFirst("[data-testid=count]").text())
                .isEqualTo("1");
        assertThat(column(bobs, "New").select("ol li a").text()).isEqualTo(tag + " bob");
        assertThat(column(bobs, "Contacted").selectFirst("[data-testid=count]").text())
                .isEqualTo("0");

        Document fair = Jsoup.parse(
                browser.get("/console/pipeline?q=" + tag + "&source=fair").body());
        assertThat(column(fair, "New").selectFirst("[data-testid=count]").text())
                .isEqualTo("22");

        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        Document past = Jsoup.parse(browser.get("/console/pipeline?q=" + tag + "&created_to=" + today.minusDays(1))
                .body());
        assertThat(column(past, "New").selectFirst("[data-testid=count]").text())
                .isEqualTo("0");
        Document range = Jsoup.parse(browser.get("/console/pipeline?q=" + tag + "&created_from=" + today.minusDays(1)
                        + "&created_to=" + today.plusDays(1))
                .body());
        assertThat(column(range, "New").selectFirst("[data-testid=count]").text())
                .isEqualTo("23");
    }

    @Test
    void badFiltersAreReadableErrors() {
        ConsoleClient browser = signedIn("SALES");
        ConsoleClient.Page reversed = browser.get("/console/pipeline?created_from=2026-02-01&created_to=2026-01-01");
        assertThat(reversed.status()).isEqualTo(400);
        assertThat(Jsoup.parse(reversed.body()).selectFirst(".problem").text())
                .isEqualTo("Parameter 'created_to' must not be before created_from");
        ConsoleClient.Page notANumber = browser.get("/console/pipeline?assigned_to=abc");
        assertThat(notANumber.status()).isEqualTo(400);
        assertThat(notANumber.body()).contains("Request not understood").doesNotContain("Exception");
        ConsoleClient.Page badDate = browser.get("/console/pipeline?created_from=yesterday");
        assertThat(badDate.status()).isEqualTo(400);
        ConsoleClient.Page missing = browser.get("/console/leads/987654321");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(Jsoup.parse(missing.body()).selectFirst(".problem").text())
                .isEqualTo("Lead 987654321 does not exist");
    }

    @Test
    void salesConvertsALeadAndSeesTheCustomerAndTheHistory() {
        long ana = sales.employee("Ana " + ConsoleFixtures.unique("a"));
        String name = ConsoleFixtures.unique("Convert me");
        long lead = sales.lead(ana, name, "5000", "web").get("id").asLong();
        ConsoleClient browser = signedIn("SALES");

        Document before = Jsoup.parse(browser.get("/console/leads/" + lead).body());
        assertThat(before.selectFirst("[data-testid=lead-status]").text()).isEqualTo("New");
        assertThat(before.select("[data-testid=convert]")).hasSize(1);

        ConsoleClient.Page converted = browser.postForm("/console/leads/" + lead + "/convert", Map.of());
        assertThat(converted.status()).isEqualTo(302);
        assertThat(converted.location()).endsWith("/console/leads/" + lead + "?converted");
        long customer = api.get("/leads/" + lead).json().get("customer_id").asLong();

        Document after =
                Jsoup.parse(browser.get("/console/leads/" + lead + "?converted").body());
        assertThat(after.selectFirst("[data-testid=lead-status]").text()).isEqualTo("Won");
        assertThat(after.select("[data-testid=convert]")).isEmpty();
        assertThat(after.selectFirst(".notice").text()).contains("customer " + customer);
        assertThat(after.selectFirst("[data-testid=customer] a").attr("href"))
                .isEqualTo("/console/customers/" + customer);
        assertThat(after.select("table tbody tr")).hasSize(2);
        assertThat(after.select("table tbody tr").get(1).text()).contains("converted", "status: New → Won");

        Document page =
                Jsoup.parse(browser.get("/console/customers/" + customer).body());
        assertThat(page.selectFirst("h1").text()).isEqualTo(name);
        assertThat(page.text()).contains(name + " (#" + lead + ")");
        Document list = Jsoup.parse(
                browser.get("/console/customers?q=" + name.replace(" ", "+")).body());
        assertThat(list.select("table tbody tr")).hasSize(1);
        assertThat(list.selectFirst("table tbody tr a").attr("href")).isEqualTo("/console/customers/" + customer);

        ConsoleClient.Page again = browser.postForm("/console/leads/" + lead + "/convert", Map.of());
        assertThat(again.status()).isEqualTo(302);
        assertThat(api.get("/customers?email="
                                + api.get("/leads/" + lead)
                                        .json()
                                        .get("contact_email")
                                        .asString())
                        .header("X-Total-Count"))
                .contains("1");
    }

    @Test
    void aViewerSeesNoActionsAndCannotConvertByPostingAnyway() {
        long ana = sales.employee("Ana " + ConsoleFixtures.unique("a"));
        long lead = sales.lead(ana, ConsoleFixtures.unique("Keep me"), "10", "web")
                .get("id")
                .asLong();
        ConsoleClient viewer = signedIn("VIEWER");
        Document page = Jsoup.parse(viewer.get("/console/leads/" + lead).body());
        assertThat(page.select("[data-testid=convert]")).isEmpty();
        assertThat(page.select("form[action$=/convert]")).isEmpty();

        ConsoleClient.Page denied = viewer.postForm("/console/leads/" + lead + "/convert", Map.of());
        assertThat(denied.status()).isEqualTo(403);
        assertThat(denied.body()).contains("Your roles do not allow this action");
        assertThat(api.get("/leads/" + lead).json().get("status").asString()).isEqualTo("New");

        ConsoleClient agent = signedIn("AGENT");
        assertThat(agent.get("/console/pipeline").status()).isEqualTo(200);
        assertThat(agent.postForm("/console/leads/" + lead + "/convert", Map.of())
                        .status())
                .isEqualTo(403);
        ConsoleClient messaging = signedIn("MESSAGING_SERVICE");
        assertThat(messaging.get("/console/pipeline").status()).isEqualTo(403);
    }

    @Test
    void employeesAreListed() {
        String name = "Zed " + ConsoleFixtures.unique("z");
        sales.employee(name);
        Document page = Jsoup.parse(signedIn("VIEWER").get("/console/employees").body());
        assertThat(page.select("table tbody tr td:first-child").eachText()).contains(name);
    }
}

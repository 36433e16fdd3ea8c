package com.relaycrm.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.relaycrm.testsupport.ApiClient;
import com.relaycrm.testsupport.ConsoleClient;
import com.relaycrm.testsupport.HttpTestSupport;
import java.util.List;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;

/** The header's search box and its results page, grouped by type. */
class ConsoleSearchHttpTest extends HttpTestSupport {

    @Test
    void theHeaderSearchFindsWhatTheUserMayReadGroupedByType() {
        ConsoleFixtures sales = new ConsoleFixtures(api);
        long zelia = sales.employee("Zélia Ramos");
        long lead = sales.lead(zelia, "Zelia Ramos Ltda", null, "web").get("id").asLong();
        String carlaToken = sales.token("carla", "SALES");
        ApiClient carla = api.as(carlaToken);
        String thread = carla.post("/thread", "{\"users\":[\"carla\",\"zelia\"]}")
                .json()
                .get("thread_id")
                .asString();
        assertThat(carla.post("/thread/" + thread + "/carla", "{\"message\":\"Zélia: <script>alert(1)</script>\"}")
                        .status())
                .isEqualTo(204);

        ConsoleClient browser = new ConsoleClient(port);
        assertThat(browser.signIn(carlaToken).status()).isEqualTo(302);
        Document home = Jsoup.parse(browser.get("/console/pipeline").body());
        Element form = home.selectFirst("header form[role=search]");
        assertThat(form).isNotNull();
        assertThat(form.attr("action")).isEqualTo("/console/search");
        Element input = form.selectFirst("input[type=search][name=q]");
        assertThat(input).isNotNull();
        assertThat(home.selectFirst("label[for=" + input.id() + "]")).isNotNull();

        ConsoleClient.Page page = browser.get("/console/search?q=zelia");
        assertThat(page.status()).as(page.body()).isEqualTo(200);
        Document results = Jsoup.parse(page.body());
        List<String> headings = results.select("section.search-group h2").eachText();
        assertThat(headings).containsExactly("Leads", "Employees", "Messages");
        Element leadLink = results.selectFirst("#search-lead ~ ol a");
        assertThat(leadLink.attr("href")).isEqualTo("/console/leads/" + lead);
        assertThat(results.select("section.search-group mark").eachText()).contains("Zelia", "Zélia");
        Element message = results.selectFirst("#search-message ~ ol li");
        assertThat(message.selectFirst("a").attr("href")).isEqualTo("/console/inbox/" + thread);
        assertThat(message.select("script")).isEmpty();
        assertThat(message.selectFirst(".snippet").text()).contains("<script>alert(1)</script>");
        assertThat(results.selectFirst("header input[name=q]").attr("value")).isEqualTo("zelia");

        // someone outside the thread finds the lead, not the message
        ConsoleClient other = new ConsoleClient(port);
        assertThat(other.signIn(sales.token("olga", "VIEWER")).status()).isEqualTo(302);
        assertThat(Jsoup.parse(other.get("/console/search?q=zelia").body())
                        .select("section.search-group h2")
                        .eachText())
                .containsExactly("Leads", "Employees");

        Document tooShort = Jsoup.parse(browser.get("/console/search?q=z").body());
        assertThat(tooShort.selectFirst("[role=alert]").text()).contains("2 to 499");
        assertThat(Jsoup.parse(browser.get("/console/search?q=nothing-like-this")
                                .body())
                        .selectFirst("[data-testid=search-empty]"))
                .isNotNull();
        assertThat(new ConsoleClient(port).get("/console/search?q=zelia").status())
                .isEqualTo(302);
    }
}

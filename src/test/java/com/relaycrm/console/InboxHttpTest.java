package com.relaycrm.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.relaycrm.testsupport.ApiClient;
import com.relaycrm.testsupport.ConsoleClient;
import com.relaycrm.testsupport.HttpTestSupport;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class InboxHttpTest extends HttpTestSupport {

    private ConsoleFixtures fixtures;
    private String alice;
    private String bob;
    private String thread;

    @BeforeEach
    void conversation() {
        fixtures = new ConsoleFixtures(api);
        alice = ConsoleFixtures.unique("alice");
        bob = ConsoleFixtures.unique("bob");
        thread = fixtures.thread(alice, bob);
    }

    private void postAs(String username, String text) {
        ApiClient.Response posted = api.post("/thread/" + thread + "/" + username, "{\"message\":\"" + text + "\"}");
        assertThat(posted.status()).as(posted.body()).isEqualTo(204);
    }

    private ConsoleClient signedIn(String username, String role) {
        ConsoleClient browser = new ConsoleClient(port);
        assertThat(browser.signIn(fixtures.token(username, role)).status()).isEqualTo(302);
        return browser;
    }

    private JsonNode messages() {
        return api.get("/thread/" + thread).json().get("messages");
    }

    @Test
    void theInboxShowsUnreadCountsUntilTheThreadIsOpened() {
        postAs(bob, "first");
        postAs(bob, "second");
        ConsoleClient browser = signedIn(alice, "SALES");
        Document inbox = Jsoup.parse(browser.get("/console/inbox").body());
        var row = inbox.selectFirst("li[data-thread=" + thread + "]");
        assertThat(row.selectFirst(".who-list").text()).isEqualTo(bob);
        assertThat(row.selectFirst("[data-testid=unread]").text()).isEqualTo("2");
        assertThat(row.selectFirst(".preview").text()).isEqualTo(bob + ": second");

        Document page = Jsoup.parse(browser.get("/console/inbox/" + thread).body());
        assertThat(page.select("#conversation li .msg-text").eachText()).containsExactly("first", "second");
        assertThat(page.selectFirst("main").attr("data-last-seq")).isEqualTo("2");
        assertThat(page.select("#conversation li .msg-actions")).isEmpty();
        assertThat(page.select("#send textarea[data-max-codepoints=280]")).hasSize(1);

        Document after = Jsoup.parse(browser.get("/console/inbox").body());
        assertThat(after.selectFirst("li[data-thread=" + thread + "] [data-testid=unread]")
                        .text())
                .isEqualTo("0");
    }

    @Test
    void sendingEditingAndDeletingOwnMessages() {
        ConsoleClient browser = signedIn(alice, "AGENT");
        browser.get("/console/inbox/" + thread);
        ConsoleClient.Page sent = browser.postForm(
                "/console/inbox/" + thread + "/messages", Map.of("text", "hello bob"), "HX-Request", "true");
        assertThat(sent.status()).as(sent.body()).isEqualTo(204);
        ConsoleClient.Page plain = browser.postForm("/console/inbox/" + thread + "/messages", Map.of("text", "again"));
        assertThat(plain.status()).isEqualTo(303);
        assertThat(plain.location()).isEqualTo("/console/inbox/" + thread);
        String emoji = "😀".repeat(280);
        assertThat(browser.postForm(
                                "/console/inbox/" + thread + "/messages", Map.of("text", emoji), "HX-Request", "true")
                        .status())
                .isEqualTo(204);
        ConsoleClient.Page tooLong = browser.postForm(
                "/console/inbox/" + thread + "/messages", Map.of("text", emoji + "!"), "HX-Request", "true");
        assertThat(tooLong.status()).isEqualTo(422);
        assertThat(Jsoup.parse(tooLong.body()).selectFirst(".problem").text())
                .contains("message must be at most 280 characters (got 281)");

        JsonNode list = messages();
        assertThat(list).hasSize(3);
        assertThat(list.get(0).get("message").asString()).isEqualTo("hello bob");
        assertThat(list.get(0).get("username").asString()).isEqualTo(alice);
        String own = list.get(0).get("id").asString();

        Document page = Jsoup.parse(browser.get("/console/inbox/" + thread).body());
        assertThat(page.select("#conversation li.own .msg-actions")).hasSize(3);

        assertThat(browser.postForm(
                                "/console/inbox/" + thread + "/messages/" + own + "/edit",
                                Map.of("text", "hello, bob"),
                                "HX-Request",
                                "true")
                        .status())
                .isEqualTo(204);
        assertThat(messages().get(0).get("message").asString()).isEqualTo("hello, bob");

        postAs(bob, "mine");
        String theirs = messages().get(3).get("id").asString();
        ConsoleClient.Page notMine = browser.postForm(
                "/console/inbox/" + thread + "/messages/" + theirs + "/edit",
                Map.of("text", "hijack"),
                "HX-Request",
                "true");
        assertThat(notMine.status()).isEqualTo(403);
        assertThat(notMine.body()).contains("Only the author of a message may edit it");
        assertThat(browser.postForm("/console/inbox/" + thread + "/messages/" + theirs + "/delete", Map.of())
                        .status())
                .isEqualTo(403);

        assertThat(browser.postForm("/console/inbox/" + thread + "/messages/" + own + "/delete", Map.of())
                        .status())
                .isEqualTo(303);
        assertThat(messages().get(0).get("deleted").asBoolean()).isTrue();
        Document afterDelete =
                Jsoup.parse(browser.get("/console/inbox/" + thread).body());
        assertThat(afterDelete.selectFirst("li[data-id=" + own + "] .msg-text").text())
                .isEqualTo("message deleted");
        assertThat(afterDelete.select("li[data-id=" + own + "] .msg-actions")).isEmpty();
    }

    @Test
    void everyThreadIsReachableExactlyOnceThroughOlderThreads() {
        String carol = ConsoleFixtures.unique("carol");
        List<String> created = new ArrayList<>();
        for (int i = 0; i < 250; i++) {
            ApiClient.Response opened = api.post("/thread", "{\"users\":[\"" + carol + "\",\"peer" + i + "\"]}");
            assertThat(opened.status()).as(opened.body()).isEqualTo(201);
            created.add(opened.json().get("thread_id").asString());
        }
        List<String> newestFirst = created.reversed();
        ConsoleClient browser = signedIn(carol, "VIEWER");

        // Without JavaScript: "Older threads" is a link to the next page.
        List<String> seen = new ArrayList<>();
        List<Integer> pageSizes = new ArrayList<>();
        String next = "/console/inbox";
        while (next != null) {
            ConsoleClient.Page page = browser.get(next);
            assertThat(page.status()).as(page.body()).isEqualTo(200);
            Document html = Jsoup.parse(page.body());
            List<String> ids = html.select("#threads > li").eachAttr("data-thread");
            pageSizes.add(ids.size());
            seen.addAll(ids);
            var older = html.selectFirst("#older a[rel=next]");
            next = older == null ? null : older.attr("href");
            if (older != null) {
                assertThat(older.attr("hx-get")).isEqualTo(next);
            }
        }
        assertThat(pageSizes).containsExactly(100, 100, 50);
        assertThat(seen).containsExactlyElementsOf(newestFirst);

        // With htmx: the fragment appends rows out of band and replaces the control with the next one.
        Document first = Jsoup.parse(browser.get("/console/inbox").body());
        List<String> appended = new ArrayList<>(first.select("#threads > li").eachAttr("data-thread"));
        String more = first.selectFirst("#older a").attr("hx-get");
        int requests = 0;
        while (more != null) {
            ConsoleClient.Page fragment = browser.get(more, "HX-Request", "true");
            requests++;
            assertThat(fragment.status()).isEqualTo(200);
            Document html = Jsoup.parseBodyFragment(fragment.body());
            assertThat(html.select("html > head > title, header.top")).isEmpty();
            var rows = html.selectFirst("ul[hx-swap-oob='beforeend:#threads']");
            appended.addAll(rows.select("> li").eachAttr("data-thread"));
            var control = html.selectFirst("p#older");
            assertThat(control).isNotNull();
            var link = control.selectFirst("a[hx-get]");
            more = link == null ? null : link.attr("hx-get");
            if (link == null) {
                assertThat(control.text()).isEqualTo("No older threads.");
            }
        }
        assertThat(requests).isEqualTo(2);
        assertThat(appended).containsExactlyElementsOf(newestFirst);

        ConsoleClient.Page forged = browser.get("/console/inbox?after=not-a-cursor");
        assertThat(forged.status()).isEqualTo(400);
        assertThat(Jsoup.parse(forged.body()).selectFirst(".problem").text())
                .isEqualTo("Parameter 'after' is not a valid cursor; use a cursor from a previous response");
    }

    @Test
    void readersCannotWriteAndOutsidersCannotRead() {
        ConsoleClient viewer = signedIn(alice, "VIEWER");
        Document page = Jsoup.parse(viewer.get("/console/inbox/" + thread).body());
        assertThat(page.select("#send")).isEmpty();
        assertThat(viewer.postForm("/console/inbox/" + thread + "/messages", Map.of("text", "hi"))
                        .status())
                .isEqualTo(403);
        assertThat(messages()).isEmpty();

        ConsoleClient outsider = signedIn(ConsoleFixtures.unique("eve"), "SALES");
        ConsoleClient.Page denied = outsider.get("/console/inbox/" + thread);
        assertThat(denied.status()).isEqualTo(403);
        assertThat(Jsoup.parse(denied.body()).selectFirst(".problem").text())
                .isEqualTo("Only the thread's participants may read it");
        assertThat(outsider.get("/console/inbox/" + thread + "/events", "Accept", "text/event-stream")
                        .status())
                .isEqualTo(403);
        assertThat(outsider.get("/console/inbox/00000000-0000-0000-0000-000000000000")
                        .status())
                .isEqualTo(404);
        assertThat(outsider.get("/console/inbox/not-a-thread").status()).isEqualTo(404);
        assertThat(outsider.get("/console/inbox/" + thread + "?before=x").status())
                .isEqualTo(400);
    }
}

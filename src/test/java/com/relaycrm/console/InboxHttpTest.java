package com.relaycrm.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.relaycrm.testsupport.ApiClient;
import com.relaycrm.testsupport.ConsoleClient;
import com.relaycrm.testsupport.HttpTestSupport;
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
        ApiClient.Response opened = api.post("/thread", "{\"users\":[\"" + alice + "\",\"" + bob + "\"]}");
        assertThat(opened.status()).as(opened.body()).isEqualTo(201);
        thread = opened.json().get("thread_id").asString();
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

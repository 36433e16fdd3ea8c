package com.relaycrm.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import com.relaycrm.platform.Role;
import com.relaycrm.testsupport.ApiClient;
import com.relaycrm.testsupport.HttpTestSupport;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The seed's three endpoints, their validation and identity rules, paging, inbox, read horizons, edit and delete. */
class MessagingHttpTest extends HttpTestSupport {

    @org.springframework.beans.factory.annotation.Autowired
    MessagingApi messaging;

    private ApiClient alma;
    private ApiClient bob;
    private ApiClient carol;

    @BeforeEach
    void users() {
        alma = clientFor("alma", Role.AGENT);
        bob = clientFor("bob", Role.SALES);
        carol = clientFor("carol", Role.AGENT);
    }

    static String thread(ApiClient client, String... users) {
        String list = java.util.Arrays.stream(users).map(u -> "\"" + u + "\"").collect(Collectors.joining(","));
        ApiClient.Response created = client.post("/thread", "{\"users\":[" + list + "]}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.json().get("thread_id").asString();
    }

    static void say(ApiClient client, String thread, String user, String text) {
        ApiClient.Response posted = client.post(
                "/thread/" + thread + "/" + user, "{\"message\":" + ApiClient.JSON.writeValueAsString(text) + "}");
        assertThat(posted.status()).as(posted.body()).isEqualTo(204);
    }

    static List<JsonNode> messages(ApiClient client, String thread) {
        ApiClient.Response response = client.get("/thread/" + thread);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        List<JsonNode> list = new ArrayList<>();
        response.json().get("messages").forEach(list::add);
        return list;
    }

    // ---- the seed's Postman collection, replayed verbatim (JSON without Content-Type, a GET with an empty body)

    @Test
    void seedPostmanSequenceWorksAsBefore() {
        ApiClient.Response created = api.send("POST", "/thread", null, "{\"users\": [\"alma\",\"bob\"]}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.contentType()).startsWith("application/json");
        JsonNode createdJson = created.json();
        assertThat(createdJson.propertyNames()).containsExactly("thread_id");
        String thread = createdJson.get("thread_id").asString();
        assertThat(thread).isNotBlank();
        assertThat(created.header("Location")).hasValue("/thread/" + thread);

        ApiClient.Response posted =
                api.send("POST", "/thread/" + thread + "/bob", null, "{\"message\": \"Strange message from bob\"}");
        assertThat(posted.status()).as(posted.body()).isEqualTo(204);
        assertThat(posted.bytes()).isEmpty();

        ApiClient.Response read = api.send("GET", "/thread/" + thread, null, "");
        assertThat(read.status()).as(read.body()).isEqualTo(200);
        JsonNode messages = read.json().get("messages");
        assertThat(messages).hasSize(1);
        JsonNode message = messages.get(0);
        assertThat(message.get("username").asString()).isEqualTo("bob");
        assertThat(message.get("message").asString()).isEqualTo("Strange message from bob");
        assertThat(message.get("seq").asLong()).isEqualTo(1);
        assertThat(message.get("id").asString()).isNotBlank();
        assertThat(message.get("created_at").asString()).endsWith("Z");
        assertThat(message.has("edited_at")).isFalse();
        assertThat(read.json().has("next_cursor")).isFalse();

        // Postman's "raw JSON" tab sends a Content-Type even on a GET without a body; the participants' own tokens
        // work.
        ApiClient.Response asBob = bob.send("GET", "/thread/" + thread, "application/json", "");
        assertThat(asBob.status()).isEqualTo(200);
        assertThat(asBob.json().get("messages")).hasSize(1);
        assertThat(bob.send("POST", "/thread/" + thread + "/bob", null, "{\"message\": \"again\"}")
                        .status())
                .isEqualTo(204);
        assertThat(alma.send("GET", "/thread/" + thread, null, "{}").json().get("messages"))
                .hasSize(2);
    }

    // ---- creating threads

    @Test
    void threadNeedsTwoToHundredUsers() {
        assertUsersInvalid("{\"users\":[\"alma\"]}", "users");
        assertUsersInvalid("{\"users\":[]}", "users");
        List<String> hundred =
                new ArrayList<>(IntStream.range(0, 99).mapToObj(i -> "user" + i).toList());
        hundred.add("alma");
        assertThat(alma.post("/thread", usersJson(hundred)).status()).isEqualTo(201);
        List<String> hundredAndOne = new ArrayList<>(hundred);
        hundredAndOne.add("user100");
        assertUsersInvalid(usersJson(hundredAndOne), "users");
        assertThat(thread(alma, "alma", "bob")).isNotBlank();
    }

    @Test
    void duplicateUsersAre422NamingThem() {
        var problem = assertProblem(
                alma.post("/thread", "{\"users\":[\"alma\",\"bob\",\"alma\",\"cy\",\"cy\",\"cy\"]}"), 422);
        assertThat(problem.get("errors").get(0).get("field").asString()).isEqualTo("users");
        assertThat(problem.get("detail").asString())
                .contains("alma")
                .contains("cy")
                .doesNotContain("bob");
        assertThat(problem.get("duplicates").toString()).isEqualTo("[\"alma\",\"cy\"]");
        // compared exactly: case differs, so these are two users
        assertThat(alma.post("/thread", "{\"users\":[\"alma\",\"Alma\"]}").status())
                .isEqualTo(201);
        // compared after trimming
        assertProblem(alma.post("/thread", "{\"users\":[\"alma\",\" alma \"]}"), 422);
    }

    @Test
    void usersMustBeAnArrayOfValidUsernames() {
        assertUsersInvalid("{}", "users");
        assertUsersInvalid("{\"users\":null}", "users");
        assertUsersInvalid("{\"users\":\"alma,bob\"}", "users");
        assertUsersInvalid("{\"users\":{\"a\":1}}", "users");
        assertUsersInvalid("{\"users\":[\"alma\",5]}", "users[1]");
        assertUsersInvalid("{\"users\":[\"alma\",null]}", "users[1]");
        assertUsersInvalid("{\"users\":[\"alma\",\"   \"]}", "users[1]");
        assertUsersInvalid("{\"users\":[\"alma\",\"bo\\u0007b\"]}", "users[1]");
        assertUsersInvalid("{\"users\":[\"alma\",\"" + "x".repeat(65) + "\"]}", "users[1]");
        assertUsersInvalid("{\"users\":[\"alma\",\"bad\\ud800\"]}", "users[1]");
        assertThat(alma.post("/thread", "{\"users\":[\"alma\",\"" + "x".repeat(64) + "\"]}")
                        .status())
                .isEqualTo(201);
        assertProblem(alma.post("/thread", "{\"users\": [\"alma\", "), 400);
        assertProblem(alma.post("/thread", "[\"alma\",\"bob\"]"), 422);
        assertProblem(alma.post("/thread", ""), 400);
    }

    @Test
    void extraKeysAreIgnoredAndNamesTrimmed() {
        ApiClient.Response created =
                alma.post("/thread", "{\"users\":[\" alma\",\"bob \"],\"topic\":\"x\",\"admin\":true}");
        assertThat(created.status()).isEqualTo(201);
        String thread = created.json().get("thread_id").asString();
        JsonNode participants = alma.get("/thread/" + thread + "/participants").json();
        assertThat(participants.get("thread_id").asString()).isEqualTo(thread);
        assertThat(participants.get("participants").toString())
                .isEqualTo("[{\"username\":\"alma\",\"read_seq\":0},{\"username\":\"bob\",\"read_seq\":0}]");
        assertThat(alma.get("/thread/" + thread).body()).doesNotContain("topic");
    }

    @Test
    void eachCallCreatesANewThread() {
        assertThat(thread(alma, "alma", "bob")).isNotEqualTo(thread(alma, "alma", "bob"));
    }

    @Test
    void creatorMustBeAUserUnlessService() {
        assertProblem(alma.post("/thread", "{\"users\":[\"bob\",\"carol\"]}"), 403);
        ApiClient service = clientFor("knock-backend", Role.MESSAGING_SERVICE);
        assertThat(service.post("/thread", "{\"users\":[\"bob\",\"carol\"]}").status())
                .isEqualTo(201);
        assertThat(api.post("/thread", "{\"users\":[\"bob\",\"carol\"]}").status())
                .isEqualTo(201);
        // a viewer may read but not open threads or post
        ApiClient viewer = clientFor("vic", Role.VIEWER);
        assertProblem(viewer.post("/thread", "{\"users\":[\"vic\",\"bob\"]}"), 403);
        assertProblem(api.anonymous().post("/thread", "{\"users\":[\"vic\",\"bob\"]}"), 401);
    }

    // ---- posting

    @Test
    void messageLengthCountsCodePoints() {
        String thread = thread(alma, "alma", "bob");
        String emoji = "\uD83D\uDE00"; // one code point, two UTF-16 units
        say(alma, thread, "alma", "a");
        say(alma, thread, "alma", emoji.repeat(280));
        say(alma, thread, "alma", "x".repeat(280));
        say(alma, thread, "alma", "\uD834\uDD1E".repeat(140) + "é".repeat(140));
        assertMessageInvalid(alma, thread, "{\"message\":\"" + emoji.repeat(281) + "\"}");
        assertMessageInvalid(alma, thread, "{\"message\":\"" + "x".repeat(281) + "\"}");
        assertMessageInvalid(alma, thread, "{\"message\":\"\"}");
        List<JsonNode> stored = messages(alma, thread);
        assertThat(stored).hasSize(4);
        assertThat(stored.get(1).get("message").asString()).isEqualTo(emoji.repeat(280));
        assertThat(stored.get(3).get("message").asString()).isEqualTo("\uD834\uDD1E".repeat(140) + "é".repeat(140));
    }

    @Test
    void messageMustBeANonBlankString() {
        String thread = thread(alma, "alma", "bob");
        assertMessageInvalid(alma, thread, "{\"message\":\"   \"}");
        assertMessageInvalid(alma, thread, "{\"message\":\"\\n\\t\"}");
        assertMessageInvalid(alma, thread, "{}");
        assertMessageInvalid(alma, thread, "{\"message\":null}");
        assertMessageInvalid(alma, thread, "{\"message\":42}");
        assertMessageInvalid(alma, thread, "{\"message\":[\"hi\"]}");
        assertMessageInvalid(alma, thread, "{\"message\":\"nul\\u0000byte\"}");
        assertMessageInvalid(alma, thread, "{\"message\":\"lone \\udc00\"}");
        assertProblem(alma.post("/thread/" + thread + "/alma", "{\"message\": "), 400);
        assertProblem(alma.post("/thread/" + thread + "/alma", "{\"message\": \"x\"} trailing"), 400);
        assertProblem(alma.post("/thread/" + thread + "/alma", ""), 400);
        assertProblem(alma.post("/thread/" + thread + "/alma", "\"hi\""), 422);
        say(alma, thread, "alma", "two\nlines\tand a tab");
        assertThat(messages(alma, thread)).hasSize(1);
    }

    @Test
    void pathWinsOverBodyKeys() {
        String thread = thread(alma, "alma", "bob");
        String other = thread(alma, "alma", "bob");
        ApiClient.Response posted = bob.post(
                "/thread/" + thread + "/bob",
                "{\"message\":\"hi\",\"username\":\"alma\",\"thread_id\":\"" + other + "\",\"seq\":99}");
        assertThat(posted.status()).isEqualTo(204);
        JsonNode only = messages(alma, thread).getFirst();
        assertThat(only.get("username").asString()).isEqualTo("bob");
        assertThat(only.get("seq").asLong()).isEqualTo(1);
        assertThat(messages(alma, other)).isEmpty();
    }

    @Test
    void unknownOrMalformedThreadIs404() {
        String random = UUID.randomUUID().toString();
        assertProblem(alma.post("/thread/" + random + "/alma", "{\"message\":\"hi\"}"), 404);
        assertProblem(alma.post("/thread/not-a-thread/alma", "{\"message\":\"hi\"}"), 404);
        assertProblem(alma.get("/thread/" + random), 404);
        assertProblem(alma.get("/thread/5fd8f3e7c4a1b2d3e4f5a6b7"), 404);
        assertProblem(alma.get("/thread/" + random + "/participants"), 404);
        assertProblem(api.get("/thread/%E2%9C%93"), 404);
    }

    @Test
    void identityRules() {
        String thread = thread(alma, "alma", "bob");
        // acting as someone else without the service role
        assertProblem(alma.post("/thread/" + thread + "/bob", "{\"message\":\"pretending\"}"), 403);
        // a non-participant, acting as themself
        assertProblem(carol.post("/thread/" + thread + "/carol", "{\"message\":\"let me in\"}"), 403);
        assertProblem(carol.get("/thread/" + thread), 403);
        assertProblem(carol.get("/thread/" + thread + "/participants"), 403);
        // the service role acts for participants, not for outsiders
        ApiClient service = clientFor("knock-backend", Role.MESSAGING_SERVICE);
        assertThat(service.post("/thread/" + thread + "/bob", "{\"message\":\"relayed\"}")
                        .status())
                .isEqualTo(204);
        assertProblem(service.post("/thread/" + thread + "/carol", "{\"message\":\"x\"}"), 403);
        assertThat(service.get("/thread/" + thread).status()).isEqualTo(200);
        // usernames are case-sensitive
        ApiClient upper = clientFor("Alma", Role.AGENT);
        assertProblem(upper.get("/thread/" + thread), 403);
        assertThat(messages(bob, thread))
                .extracting(m -> m.get("message").asString())
                .containsExactly("relayed");
    }

    @Test
    void alternatingSendersKeepTheirOrder() {
        String thread = thread(alma, "alma", "bob");
        for (int i = 0; i < 10; i++) {
            if (i % 2 == 0) {
                say(alma, thread, "alma", "m" + i);
            } else {
                say(bob, thread, "bob", "m" + i);
            }
        }
        List<JsonNode> list = messages(alma, thread);
        assertThat(list)
                .extracting(m -> m.get("message").asString())
                .containsExactly("m0", "m1", "m2", "m3", "m4", "m5", "m6", "m7", "m8", "m9");
        assertThat(list)
                .extracting(m -> m.get("username").asString())
                .containsExactly("alma", "bob", "alma", "bob", "alma", "bob", "alma", "bob", "alma", "bob");
        assertThat(list)
                .extracting(m -> m.get("seq").asLong())
                .containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);
    }

    // ---- paging

    @Test
    void cursorsCoverEveryMessageExactlyOnceBothWays() {
        String thread = thread(alma, "alma", "bob");
        for (int i = 1; i <= 23; i++) {
            say(i % 3 == 0 ? bob : alma, thread, i % 3 == 0 ? "bob" : "alma", "n" + i);
        }
        List<Long> forward = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            ApiClient.Response page =
                    alma.get("/thread/" + thread + "?limit=5" + (cursor == null ? "" : "&after=" + cursor));
            assertThat(page.status()).as(page.body()).isEqualTo(200);
            page.json().get("messages").forEach(m -> forward.add(m.get("seq").asLong()));
            cursor = page.json().has("next_cursor")
                    ? page.json().get("next_cursor").asString()
                    : null;
            pages++;
        } while (cursor != null);
        assertThat(pages).isEqualTo(5);
        assertThat(forward)
                .isEqualTo(IntStream.rangeClosed(1, 23).mapToObj(i -> (long) i).toList());

        List<Long> backward = new ArrayList<>();
        cursor = "end";
        pages = 0;
        while (cursor != null) {
            ApiClient.Response page = alma.get("/thread/" + thread + "?limit=10&before=" + cursor);
            assertThat(page.status()).as(page.body()).isEqualTo(200);
            List<Long> seqs = new ArrayList<>();
            page.json().get("messages").forEach(m -> seqs.add(m.get("seq").asLong()));
            assertThat(seqs).isSorted();
            backward.addAll(0, seqs);
            cursor = page.json().has("prev_cursor")
                    ? page.json().get("prev_cursor").asString()
                    : null;
            pages++;
        }
        assertThat(pages).isEqualTo(3);
        assertThat(backward).isEqualTo(forward);
    }

    @Test
    void badPagingParametersAre400() {
        String thread = thread(alma, "alma", "bob");
        say(alma, thread, "alma", "hello");
        for (String query : List.of(
                "limit=0",
                "limit=1001",
                "limit=abc",
                "limit=-1",
                "limit=99999999999999999999",
                "after=zzz",
                "after=!!!",
                "after=",
                "before=",
                "after=end",
                "before=czEx%3D%3D%3D",
                "after=" + java.util.Base64.getUrlEncoder().encodeToString("a1.x".getBytes()),
                "after=czE&before=czE")) {
            var problem = assertProblem(alma.get("/thread/" + thread + "?" + query), 400);
            assertThat(problem.get("errors").get(0).get("field").asString()).isIn("limit", "after", "before");
        }
        assertThat(alma.get("/thread/" + thread + "?limit=1000").status()).isEqualTo(200);
        assertThat(alma.get("/thread/" + thread + "?limit=1").json().get("messages"))
                .hasSize(1);
    }

    // ---- inbox and read horizon

    @Test
    void inboxListsThreadsByActivityWithUnreadCounts() {
        // own users: the database is shared by this class's tests
        ApiClient alma = clientFor("ina", Role.AGENT);
        ApiClient bob = clientFor("inb", Role.AGENT);
        ApiClient carol = clientFor("inc", Role.AGENT);
        String withBob = thread(alma, "ina", "inb");
        String withCarol = thread(alma, "ina", "inc");
        String bobAndCarol = thread(bob, "inb", "inc");
        say(bob, withBob, "inb", "b1");
        say(bob, withBob, "inb", "b2");
        say(alma, withBob, "ina", "a1");
        say(carol, withCarol, "inc", "c1");
        say(carol, bobAndCarol, "inc", "not for alma");

        JsonNode inbox = alma.get("/users/ina/threads").json();
        JsonNode threads = inbox.get("threads");
        assertThat(threads).hasSize(2);
        assertThat(threads.get(0).get("thread_id").asString()).isEqualTo(withCarol);
        assertThat(threads.get(0).get("users").toString()).isEqualTo("[\"ina\",\"inc\"]");
        assertThat(threads.get(0).get("last_message").get("message").asString()).isEqualTo("c1");
        assertThat(threads.get(0).get("unread_count").asLong()).isEqualTo(1);
        assertThat(threads.get(1).get("thread_id").asString()).isEqualTo(withBob);
        assertThat(threads.get(1).get("last_message").get("message").asString()).isEqualTo("a1");
        assertThat(threads.get(1).get("unread_count").asLong()).isEqualTo(2); // alma's own message does not count
        assertThat(inbox.has("next_cursor")).isFalse();

        // activity moves a thread to the top
        say(bob, withBob, "inb", "b3");
        assertThat(alma.get("/users/ina/threads")
                        .json()
                        .get("threads")
                        .get(0)
                        .get("thread_id")
                        .asString())
                .isEqualTo(withBob);

        // paging the inbox
        JsonNode first = alma.get("/users/ina/threads?limit=1").json();
        assertThat(first.get("threads")).hasSize(1);
        JsonNode second = alma.get("/users/ina/threads?limit=1&after="
                        + first.get("next_cursor").asString())
                .json();
        assertThat(second.get("threads")).hasSize(1);
        assertThat(second.get("threads").get(0).get("thread_id").asString()).isEqualTo(withCarol);
        assertThat(second.has("next_cursor")).isFalse();
        assertProblem(alma.get("/users/ina/threads?after=bogus"), 400);
        assertProblem(alma.get("/users/ina/threads?limit=0"), 400);

        // a thread without messages is listed without last_message
        String quiet = thread(alma, "ina", "ind");
        JsonNode top = alma.get("/users/ina/threads").json().get("threads").get(0);
        assertThat(top.get("thread_id").asString()).isEqualTo(quiet);
        assertThat(top.has("last_message")).isFalse();
        assertThat(top.get("unread_count").asLong()).isZero();

        // own inbox only, unless service
        assertProblem(bob.get("/users/ina/threads"), 403);
        assertThat(clientFor("svc", Role.MESSAGING_SERVICE)
                        .get("/users/ina/threads")
                        .json()
                        .get("threads"))
                .hasSize(3);
        assertThat(clientFor("nobody", Role.AGENT)
                        .get("/users/nobody/threads")
                        .json()
                        .get("threads"))
                .isEmpty();
    }

    @Test
    void readHorizonMovesForwardOnly() {
        String thread = thread(alma, "alma", "bob");
        for (int i = 1; i <= 5; i++) {
            say(bob, thread, "bob", "b" + i);
        }
        say(alma, thread, "alma", "a6");
        ApiClient.Response read = alma.post("/thread/" + thread + "/alma/read", "{\"up_to_seq\":3}");
        assertThat(read.status()).as(read.body()).isEqualTo(200);
        assertThat(read.json().get("read_seq").asLong()).isEqualTo(3);
        assertThat(read.json().get("unread_count").asLong()).isEqualTo(2);
        assertThat(unread(alma, "alma", thread)).isEqualTo(2);

        ApiClient.Response lower = alma.post("/thread/" + thread + "/alma/read", "{\"up_to_seq\":1}");
        assertThat(lower.json().get("read_seq").asLong()).isEqualTo(3);
        assertThat(unread(alma, "alma", thread)).isEqualTo(2);

        ApiClient.Response beyond = alma.post("/thread/" + thread + "/alma/read", "{\"up_to_seq\":1000}");
        assertThat(beyond.json().get("read_seq").asLong()).isEqualTo(6);
        assertThat(unread(alma, "alma", thread)).isZero();
        assertThat(unread(bob, "bob", thread)).isEqualTo(1);
        say(bob, thread, "bob", "b7");
        assertThat(unread(alma, "alma", thread)).isEqualTo(1);

        JsonNode participants =
                alma.get("/thread/" + thread + "/participants").json().get("participants");
        assertThat(participants.get(0).get("read_seq").asLong()).isEqualTo(6);

        assertProblem(alma.post("/thread/" + thread + "/alma/read", "{\"up_to_seq\":-1}"), 422);
        assertProblem(alma.post("/thread/" + thread + "/alma/read", "{\"up_to_seq\":\"3\"}"), 422);
        assertProblem(alma.post("/thread/" + thread + "/alma/read", "{\"up_to_seq\":1.5}"), 422);
        assertProblem(alma.post("/thread/" + thread + "/alma/read", "{\"up_to_seq\":1e400}"), 422);
        assertProblem(
                alma.post("/thread/" + thread + "/alma/read", "{\"up_to_seq\":123456789012345678901234567890}"), 422);
        assertProblem(alma.post("/thread/" + thread + "/alma/read", "{}"), 422);
        assertProblem(alma.post("/thread/" + thread + "/bob/read", "{\"up_to_seq\":1}"), 403);
        assertProblem(carol.post("/thread/" + thread + "/carol/read", "{\"up_to_seq\":1}"), 403);
        assertProblem(alma.post("/thread/" + UUID.randomUUID() + "/alma/read", "{\"up_to_seq\":1}"), 404);
        // a viewer may move its own horizon
        ApiClient viewer = clientFor("vic", Role.VIEWER);
        String withViewer = thread(alma, "alma", "vic");
        say(alma, withViewer, "alma", "hello vic");
        assertThat(viewer.post("/thread/" + withViewer + "/vic/read", "{\"up_to_seq\":1}")
                        .status())
                .isEqualTo(200);
        assertProblem(viewer.post("/thread/" + withViewer + "/vic", "{\"message\":\"hi\"}"), 403);
    }

    private static long unread(ApiClient client, String user, String thread) {
        for (JsonNode summary : client.get("/users/" + user + "/threads").json().get("threads")) {
            if (summary.get("thread_id").asString().equals(thread)) {
                return summary.get("unread_count").asLong();
            }
        }
        throw new AssertionError("thread " + thread + " not in the inbox of " + user);
    }

    // ---- edit and delete

    @Test
    void authorEditsAndDeletesLeavingATombstone() {
        String thread = thread(alma, "alma", "bob");
        say(alma, thread, "alma", "frist");
        say(bob, thread, "bob", "second");
        say(alma, thread, "alma", "third");
        List<JsonNode> before = messages(alma, thread);
        String first = before.get(0).get("id").asString();
        String second = before.get(1).get("id").asString();

        ApiClient.Response edited = alma.patch("/thread/" + thread + "/messages/" + first, "{\"message\":\"first\"}");
        assertThat(edited.status()).as(edited.body()).isEqualTo(200);
        assertThat(edited.json().get("message").asString()).isEqualTo("first");
        assertThat(edited.json().get("seq").asLong()).isEqualTo(1);
        assertThat(edited.json().get("edited_at").asString()).isNotBlank();

        assertProblem(bob.patch("/thread/" + thread + "/messages/" + first, "{\"message\":\"hijack\"}"), 403);
        assertProblem(bob.delete("/thread/" + thread + "/messages/" + first), 403);
        assertProblem(alma.patch("/thread/" + thread + "/messages/" + first, "{\"message\":\"\"}"), 422);
        assertProblem(
                alma.patch("/thread/" + thread + "/messages/" + first, "{\"message\":\"" + "y".repeat(281) + "\"}"),
                422);
        assertProblem(alma.patch("/thread/" + thread + "/messages/" + UUID.randomUUID(), "{\"message\":\"x\"}"), 404);
        assertProblem(alma.patch("/thread/" + thread + "/messages/nope", "{\"message\":\"x\"}"), 404);
        String elsewhere = thread(alma, "alma", "bob");
        assertProblem(alma.patch("/thread/" + elsewhere + "/messages/" + first, "{\"message\":\"x\"}"), 404);

        assertThat(alma.post("/thread/" + thread + "/alma/read", "{\"up_to_seq\":1}")
                        .status())
                .isEqualTo(200);
        assertThat(bob.delete("/thread/" + thread + "/messages/" + second).status())
                .isEqualTo(204);
        assertThat(bob.delete("/thread/" + thread + "/messages/" + second).status())
                .isEqualTo(204);
        assertProblem(bob.patch("/thread/" + thread + "/messages/" + second, "{\"message\":\"back\"}"), 409);

        List<JsonNode> after = messages(alma, thread);
        assertThat(after).extracting(m -> m.get("seq").asLong()).containsExactly(1L, 2L, 3L);
        assertThat(after.get(0).get("message").asString()).isEqualTo("first");
        assertThat(after.get(0).has("edited_at")).isTrue();
        JsonNode tombstone = after.get(1);
        assertThat(tombstone.get("deleted").asBoolean()).isTrue();
        assertThat(tombstone.has("message")).isFalse();
        assertThat(tombstone.get("username").asString()).isEqualTo("bob");
        assertThat(tombstone.get("id").asString()).isEqualTo(second);
        assertThat(alma.get("/thread/" + thread).body()).doesNotContain("second");
        // the deleted message no longer counts as unread, the horizon is untouched
        assertThat(unread(alma, "alma", thread)).isZero();
        assertThat(alma.get("/thread/" + thread + "/participants")
                        .json()
                        .get("participants")
                        .get(0)
                        .get("read_seq")
                        .asLong())
                .isEqualTo(1);

        // a service token may edit on behalf of the author
        ApiClient service = clientFor("svc", Role.MESSAGING_SERVICE);
        String third = after.get(2).get("id").asString();
        assertThat(service.patch("/thread/" + thread + "/messages/" + third, "{\"message\":\"3rd\"}")
                        .status())
                .isEqualTo(200);
        // new messages keep increasing after edits
        say(alma, thread, "alma", "fourth");
        List<JsonNode> last = messages(alma, thread);
        assertThat(last.get(3).get("seq").asLong()).isGreaterThan(3);
        assertThat(last).extracting(m -> m.get("seq").asLong()).isSorted();
    }

    @Test
    void hostileInputIsNeverA5xx() {
        String thread = thread(alma, "alma", "bob");
        String bigUsers = "{\"users\":["
                + IntStream.range(0, 10_000).mapToObj(i -> "\"u" + i + "\"").collect(Collectors.joining(",")) + "]}";
        String deep = "{\"message\":" + "[".repeat(5000) + "]".repeat(5000) + "}";
        List<ApiClient.Response> responses = List.of(
                alma.post("/thread/" + thread + "/%00", "{\"message\":\"x\"}"),
                alma.post("/thread/" + thread + "/" + "a".repeat(5000), "{\"message\":\"x\"}"),
                alma.post("/thread/" + thread + "/%E2%82%AC", "{\"message\":\"x\"}"),
                alma.post("/thread/" + thread + "/alma", "{\"message\":\"" + "x".repeat(200_000) + "\"}"),
                alma.post("/thread/" + thread + "/alma", deep),
                alma.post("/thread/" + thread + "/alma", "{\"message\":{\"text\":\"hi\"}}"),
                alma.post("/thread/" + thread + "/alma", "{\"message\":1e999999999}"),
                alma.send("POST", "/thread/" + thread + "/alma", "application/xml", "<message>hi</message>"),
                alma.send("POST", "/thread/" + thread + "/alma", "text/plain", "{\"message\":\"plain\"}"),
                alma.post("/thread", bigUsers),
                alma.post("/thread", "{\"users\":[[\"alma\"],{\"bob\":1}]}"),
                alma.get("/thread/" + thread + "?limit=1&limit=2"),
                alma.get("/thread/" + thread + "?after=" + "A".repeat(5000)),
                alma.get("/thread/" + thread + "?after="
                        + java.util.Base64.getUrlEncoder().encodeToString("s99999999999999999999".getBytes())),
                alma.get("/thread/" + thread + "?after="
                        + java.util.Base64.getUrlEncoder().encodeToString("s-1".getBytes())),
                alma.get("/users/alma/threads?after="
                        + java.util.Base64.getUrlEncoder()
                                .encodeToString(("a99999999999999999999." + UUID.randomUUID()).getBytes())),
                alma.get("/users/alma/threads?limit=1e3"),
                alma.send("PATCH", "/thread/" + thread + "/messages/" + UUID.randomUUID(), null, "{\"message\":\"x\"}"),
                alma.send("PUT", "/thread/" + thread, "application/json", "{}"),
                alma.get("/thread/" + thread + "/events", "Last-Event-ID", "99999999999999999999"),
                alma.post("/thread/" + thread + "/alma/read", "{\"up_to_seq\":9223372036854775807}"),
                alma.post("/thread/" + thread + "/alma/read", "{\"up_to_seq\":9223372036854775808}"));
        for (ApiClient.Response response : responses) {
            assertThat(response.status()).as(response.body()).isBetween(200, 499);
            // Tomcat itself refuses an encoded NUL in the path (400, its own HTML page) before Relay sees it
            if (response.status() >= 400 && response != responses.getFirst()) {
                assertProblem(response, response.status());
            }
        }
        assertThat(responses.get(3).status()).isEqualTo(422);
        assertThat(responses.get(7).status()).isEqualTo(415);
        assertThat(responses.get(8).status()).isEqualTo(204);
        assertThat(responses.get(9).status()).isEqualTo(422);
        assertThat(responses.get(18).status()).isEqualTo(405);
        assertThat(responses.get(19).status()).isEqualTo(400);
        assertThat(responses.get(20).status()).isEqualTo(200);
    }

    @Test
    void otherModulesUseTheFacade() {
        String thread = messaging.openThread(List.of("alma", " bob "), "crm");
        assertThat(messaging.post(thread, "bob", "via the facade")).isEqualTo(1);
        assertThat(messages(alma, thread))
                .extracting(m -> m.get("message").asString())
                .containsExactly("via the facade");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> messaging.post(thread, "carol", "x"))
                .isInstanceOf(com.relaycrm.platform.ApiProblem.class)
                .hasMessageContaining("not a participant");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> messaging.openThread(List.of("a", "a"), "crm"))
                .isInstanceOf(com.relaycrm.platform.ApiProblem.class)
                .hasMessageContaining("duplicate");
    }

    private void assertUsersInvalid(String body, String field) {
        var problem = assertProblem(alma.post("/thread", body), 422);
        assertThat(problem.get("errors").toString()).contains("\"field\":\"" + field + "\"");
    }

    private static void assertMessageInvalid(ApiClient client, String thread, String body) {
        var problem = assertProblem(client.post("/thread/" + thread + "/alma", body), 422);
        assertThat(problem.get("errors").get(0).get("field").asString()).isEqualTo("message");
    }

    private static String usersJson(List<String> users) {
        return "{\"users\":[" + users.stream().map(u -> "\"" + u + "\"").collect(Collectors.joining(",")) + "]}";
    }
}

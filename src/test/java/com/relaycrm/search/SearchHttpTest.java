package com.relaycrm.search;

import static org.assertj.core.api.Assertions.assertThat;

import com.relaycrm.platform.Role;
import com.relaycrm.testsupport.ApiClient;
import com.relaycrm.testsupport.HttpTestSupport;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;

/** {@code GET /api/v1/search} and {@code q=} on the list endpoints, on hand-made data. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SearchHttpTest extends HttpTestSupport {

    private static final String WORD_MESSAGE;

    static {
        String head = "Bom dia! Conforme a reunião de ontem, segue o resumo: o ";
        String tail = " ficou acertado em R$ 12.500,00 para a instalação completa, com entrega em duas semanas e "
                + "pagamento em três parcelas. Qualquer dúvida me avise por aqui mesmo, obrigado.";
        String middle = "orçamento final";
        StringBuilder text = new StringBuilder(head + middle + tail);
        while (text.length() < 280) {
            text.append('.');
        }
        WORD_MESSAGE = text.substring(0, 280);
    }

    private ApiClient alice;
    private ApiClient carol;
    private ApiClient eve;
    private ApiClient service;
    private ApiClient viewer;
    private String aliceThread;
    private String carolThread;
    private long customerId;
    private long mariaId;
    private long visitId;

    @BeforeAll
    void data() {
        api = new ApiClient(port, com.relaycrm.testsupport.FreshDatabaseCustomizerFactory.ADMIN_TOKEN);
        mariaId = created(api.post(
                        "/employees",
                        "{\"name\":\"Maria Oliveira\",\"email\":\"maria.oliveira@relay.test\","
                                + "\"role\":\"SALES_REP\"}"))
                .get("id")
                .asLong();
        long joao = created(api.post(
                        "/employees",
                        "{\"name\":\"João Pereira\",\"email\":\"jp@relay.test\"," + "\"role\":\"ACCOUNT_MANAGER\"}"))
                .get("id")
                .asLong();
        customerId =
                created(api.post("/customers", """
                        {"name": "João da Silva", "contact_email": "joao.silva@acme.test", "account_manager_id": %d,
                         "phone_number": "+55 11 98765-4321", "signed_date": "2025-01-10"}""".formatted(joao))).get("id").asLong();
        created(api.post("/leads", """
                {"name": "Mariana Costa", "contact_email": "mariana@beta.test", "assigned_to": %d}""".formatted(mariaId)));
        created(api.post("/leads", """
                {"name": "Carlos Souza", "contact_email": "carlos@acme.test", "assigned_to": %d}""".formatted(mariaId)));
        visitId = created(api.post("/api/v1/atendimento", """
                        {"id_atendimento": 555123, "id_cliente": 777001, "angel": "Ângela Moreira",
                         "polo": "SP - CAMPINAS", "data_limite": "2021-06-30 15:30"}""")).get("id").asLong();
        created(api.post("/api/v1/atendimento", """
                {"id_atendimento": 555124, "id_cliente": 777002, "angel": "Bruno Lima",
                 "polo": "RJ - NITEROI", "data_limite": "2021-07-30 15:30"}"""));

        alice = clientFor("alice", Role.SALES);
        carol = clientFor("carol", Role.AGENT);
        eve = clientFor("eve", Role.SALES);
        service = clientFor("svc", Role.MESSAGING_SERVICE);
        viewer = clientFor("vera", Role.VIEWER);
        aliceThread = created(alice.post("/thread", "{\"users\":[\"alice\",\"bob\"]}"))
                .get("thread_id")
                .asString();
        carolThread = created(carol.post("/thread", "{\"users\":[\"carol\",\"dave\"]}"))
                .get("thread_id")
                .asString();
        posted(alice.post("/thread/" + aliceThread + "/alice", "{\"message\":\"Oi Bob, tudo bem?\"}"));
        posted(alice.post(
                "/thread/" + aliceThread + "/alice",
                ApiClient.JSON.createObjectNode().put("message", WORD_MESSAGE).toString()));
        posted(carol.post("/thread/" + carolThread + "/carol", "{\"message\":\"Mandei o orcamento ontem <b>\"}"));
    }

    private static JsonNode created(ApiClient.Response response) {
        assertThat(response.status()).as(response.body()).isEqualTo(201);
        return response.json();
    }

    private static void posted(ApiClient.Response response) {
        assertThat(response.status()).as(response.body()).isEqualTo(204);
    }

    private static String enc(String q) {
        return URLEncoder.encode(q, StandardCharsets.UTF_8);
    }

    private static List<JsonNode> hits(ApiClient client, String query) {
        ApiClient.Response response = client.get("/api/v1/search?" + query);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        List<JsonNode> hits = new ArrayList<>();
        response.json().get("hits").forEach(hits::add);
        return hits;
    }

    private static List<String> keys(List<JsonNode> hits) {
        return hits.stream()
                .map(h -> h.get("type").asString() + ":" + h.get("title").asString())
                .toList();
    }

    @Test
    void accentsAreIgnoredBothWays() {
        List<JsonNode> plain = hits(api, "q=joao&types=customer,employee");
        assertThat(keys(plain)).containsExactlyInAnyOrder("customer:João da Silva", "employee:João Pereira");
        List<JsonNode> accented = hits(api, "q=" + enc("JOÃO") + "&types=customer,employee");
        assertThat(keys(accented)).containsExactlyInAnyOrderElementsOf(keys(plain));
        JsonNode customer = plain.stream()
                .filter(h -> h.get("type").asString().equals("customer"))
                .findFirst()
                .orElseThrow();
        assertThat(customer.get("id").asString()).isEqualTo(Long.toString(customerId));
        assertThat(customer.get("url").asString()).isEqualTo("/customers/" + customerId);
        assertThat(customer.get("snippet").asString())
                .startsWith("<mark>João</mark> da Silva · <mark>joao</mark>.silva");
        assertThat(customer.get("score").decimalValue())
                .isBetween(new java.math.BigDecimal("0.9"), java.math.BigDecimal.ONE);
    }

    @Test
    void exactWordRanksAboveALongerNameAndOneLetterTyposStillMatch() {
        List<JsonNode> maria = hits(api, "q=maria&types=lead,employee");
        assertThat(keys(maria)).containsExactly("employee:Maria Oliveira", "lead:Mariana Costa");
        assertThat(maria.get(0).get("score").decimalValue())
                .isGreaterThan(maria.get(1).get("score").decimalValue());
        assertThat(maria.get(0).get("url").asString()).isEqualTo("/employees/" + mariaId);

        assertThat(keys(hits(api, "q=Marja&types=lead,employee"))).contains("employee:Maria Oliveira");
        assertThat(keys(hits(api, "q=Olivera&types=employee"))).containsExactly("employee:Maria Oliveira");
        assertThat(keys(hits(api, "q=Silvs&types=customer"))).containsExactly("customer:João da Silva");
        // a different name is not a typo
        assertThat(hits(api, "q=pedro&types=lead,customer,employee")).isEmpty();
    }

    @Test
    void typosAreCorrectedAgainstWordsTheDatabaseKeepsInStepWithTheRows() {
        long id = created(api.post("/leads", """
                        {"name": "Zebedeu Quixote", "contact_email": "zq@gama.test", "assigned_to": %d}""".formatted(mariaId))).get("id").asLong();
        List<JsonNode> typo = hits(api, "q=Zebedeo&types=lead");
        assertThat(keys(typo)).containsExactly("lead:Zebedeu Quixote");
        // 0.6 x the word similarity of "zebedeo" to "zebedeu"
        assertThat(typo.getFirst().get("score").decimalValue()).isEqualByComparingTo("0.45");

        ApiClient.Response renamed = api.patch("/leads/" + id, "{\"name\":\"Zebedeu Quaresma\"}");
        assertThat(renamed.status()).as(renamed.body()).isEqualTo(200);
        assertThat(keys(hits(api, "q=Quaresmo&types=lead"))).containsExactly("lead:Zebedeu Quaresma");
        // the old word is still known, but corrects to no row
        assertThat(hits(api, "q=Quixota&types=lead")).isEmpty();
        // a digit is not a typo of another digit
        assertThat(hits(api, "q=98765432&types=customer")).hasSize(1);
        assertThat(hits(api, "q=98765439&types=customer")).isEmpty();
    }

    @Test
    void emailFragmentsAndPhoneDigitsFindTheirRows() {
        // another acme.test address shares a part, not the fragment: no hit (typos are matched word by word)
        List<JsonNode> fragment = hits(api, "q=" + enc("silva@acme") + "&types=customer,lead");
        assertThat(keys(fragment)).containsExactly("customer:João da Silva");
        assertThat(fragment.get(0).get("snippet").asString()).contains("joao.<mark>silva@acme</mark>.test");
        assertThat(keys(hits(api, "q=acme.test&types=customer,lead")))
                .containsExactlyInAnyOrder("customer:João da Silva", "lead:Carlos Souza");
        assertThat(keys(hits(api, "q=987654321&types=customer"))).containsExactly("customer:João da Silva");
        assertThat(keys(hits(api, "q=" + enc("98765-43") + "&types=customer")))
                .containsExactly("customer:João da Silva");
    }

    @Test
    void aWordInsideA280CharacterMessageIsFoundByItsParticipantsOnly() {
        assertThat(WORD_MESSAGE).hasSize(280);
        List<JsonNode> mine = hits(alice, "q=orcamento&types=message");
        assertThat(mine).hasSize(1);
        JsonNode hit = mine.getFirst();
        assertThat(hit.get("title").asString()).isEqualTo("alice");
        assertThat(hit.get("snippet").asString())
                .contains("<mark>orçamento</mark> final")
                .doesNotContain("<b>");
        assertThat(hit.get("url").asString()).startsWith("/thread/" + aliceThread + "?after=");
        assertThat(alice.get(hit.get("url").asString())
                        .json()
                        .get("messages")
                        .get(0)
                        .get("message")
                        .asString())
                .isEqualTo(WORD_MESSAGE);

        // carol takes part in the other thread only; her own message's markup is escaped
        List<JsonNode> carols = hits(carol, "q=" + enc("orçamento") + "&types=message");
        assertThat(carols).hasSize(1);
        assertThat(carols.getFirst().get("snippet").asString())
                .isEqualTo("Mandei o <mark>orcamento</mark> ontem &lt;b&gt;");
        assertThat(hits(eve, "q=orcamento")).isEmpty();
        // an admin may read any thread through the API, but search shows only its own conversations
        assertThat(hits(api, "q=orcamento&types=message")).isEmpty();
        assertThat(hits(service, "q=orcamento&types=message")).hasSize(2);
        assertThat(hits(alice, "q=orcam&types=message")).hasSize(1);
    }

    @Test
    void typesFollowTheCallersRoles() {
        // a messaging service may not read sales data through the API, so search does not show it either
        ApiClient.Response response = service.get("/api/v1/search?q=joao");
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().get("hits")).isEmpty();
        assertThat(response.json().get("types").toString()).isEqualTo("[\"message\",\"visit\"]");
        assertThat(service.get("/api/v1/sales-not-here").status()).isIn(403, 404);
        assertThat(service.get("/customers").status()).isEqualTo(403);
        assertThat(keys(hits(viewer, "q=joao")))
                .containsExactlyInAnyOrder("customer:João da Silva", "employee:João Pereira");
        assertThat(keys(hits(api, "q=joao&types=employee"))).containsExactly("employee:João Pereira");
    }

    @Test
    void visitsByNumberAndByAngelOrPoloName() {
        List<JsonNode> byNumber = hits(carol, "q=555123&types=visit");
        assertThat(byNumber).hasSize(1);
        assertThat(byNumber.getFirst().get("url").asString()).isEqualTo("/api/v1/atendimento/" + visitId);
        assertThat(byNumber.getFirst().get("score").decimalValue()).isEqualByComparingTo("1");
        assertThat(byNumber.getFirst().get("snippet").asString()).startsWith("Atendimento <mark>555123</mark>");
        List<JsonNode> byClient = hits(carol, "q=777001&types=visit");
        assertThat(byClient).hasSize(1);
        assertThat(byClient.getFirst().get("score").decimalValue()).isEqualByComparingTo("0.9");
        assertThat(hits(carol, "q=angela&types=visit").stream()
                        .map(h -> h.get("id").asString())
                        .toList())
                .containsExactly(Long.toString(visitId));
        assertThat(hits(carol, "q=campinas&types=visit")).hasSize(1);
        assertThat(hits(carol, "q=Moreyra&types=visit")).hasSize(1);
    }

    @Test
    void badQueriesAre400Problems() {
        for (String query : List.of(
                "",
                "q=",
                "q=%20%20",
                "q=a",
                "q=%20a%20",
                "q=" + "x".repeat(500),
                "q=ab&types=lead,planet",
                "q=ab&types=",
                "q=ab&limit=0",
                "q=ab&limit=101",
                "q=ab&limit=abc",
                "q=ab&limit=99999999999")) {
            ApiClient.Response response = api.get("/api/v1/search?" + query);
            if (query.equals("q=ab&types=")) {
                assertThat(response.status()).as(query).isEqualTo(200);
                continue;
            }
            assertProblem(response, 400);
        }
        assertThat(api.get("/api/v1/search?q=" + "x".repeat(499)).status()).isEqualTo(200);
        assertThat(api.anonymous().get("/api/v1/search?q=joao").status()).isEqualTo(401);
    }

    @Test
    void tsquerySyntaxAndOtherHostileTextIsSearchedAsText() {
        List<String> hostile = List.of(
                "joao & silva",
                "joao | !silva",
                "!!",
                "&&",
                "||",
                "joao:*",
                ":*",
                "'",
                "''",
                "\"joao\"",
                "\\",
                "\\\\'",
                "a\\b",
                "(joao",
                "joao)",
                "<->",
                "joao <-> silva",
                "%_%",
                "_%",
                "' OR 1=1 --",
                "\u0000ab",
                "ab\u0000",
                "½½",
                "\uFDFA",
                "ǅǅ",
                "😀😀",
                "\uD800x",
                "joao\tsilva",
                "\r\n",
                "∗∗",
                "a:b:c",
                "' & '",
                "joao & ",
                " | ",
                "x".repeat(499),
                "é".repeat(499),
                "&".repeat(499),
                "1".repeat(30),
                "-1",
                "0",
                "99999999999999999999999");
        List<String> failures = new ArrayList<>();
        for (String q : hostile) {
            for (String path : List.of(
                    "/api/v1/search?q=",
                    "/leads?q=",
                    "/customers?q=",
                    "/employees?q=",
                    "/api/v1/atendimento?q=",
                    "/thread/" + aliceThread + "?q=")) {
                ApiClient.Response response = alice.get(path + enc(q));
                if (response.status() >= 500 || (response.status() != 200 && response.status() != 400)) {
                    failures.add(path + enc(q) + " -> " + response);
                }
            }
        }
        assertThat(failures).isEmpty();
        List<JsonNode> both = hits(api, "q=" + enc("joao & silva") + "&types=customer");
        assertThat(keys(both)).containsExactly("customer:João da Silva");
        assertThat(keys(hits(api, "q=" + enc("\"joao:*\"") + "&types=employee")))
                .containsExactly("employee:João Pereira");
    }

    @Test
    void listEndpointsTakeTheSameText() {
        assertThat(titles(api.get("/customers?q=joao"), "name")).containsExactly("João da Silva");
        assertThat(titles(api.get("/customers?q=987654321"), "name")).containsExactly("João da Silva");
        assertThat(titles(api.get("/employees?q=" + enc("JOÃO")), "name")).containsExactly("João Pereira");
        assertThat(titles(api.get("/leads?q=acme"), "name")).containsExactly("Carlos Souza");
        assertThat(titles(api.get("/leads?q=" + enc("mari cos")), "name")).containsExactly("Mariana Costa");
        ApiClient.Response messages = alice.get("/thread/" + aliceThread + "?q=orcamento");
        assertThat(messages.status()).as(messages.body()).isEqualTo(200);
        assertThat(messages.json().get("messages")).hasSize(1);
        assertThat(alice.get("/thread/" + aliceThread + "/messages?q=bob")
                        .json()
                        .get("messages"))
                .hasSize(1);
        assertThat(alice.get("/thread/" + aliceThread + "?q=nada").json().get("messages"))
                .isEmpty();
        assertThat(eve.get("/thread/" + aliceThread + "?q=orcamento").status()).isEqualTo(403);
        JsonNode visits = api.get("/api/v1/atendimento?q=777001").json();
        assertThat(visits.get("total").asLong()).isEqualTo(1);
        assertThat(api.get("/api/v1/atendimento?q=" + enc("ângela"))
                        .json()
                        .get("data")
                        .get(0)
                        .get("id")
                        .asLong())
                .isEqualTo(visitId);
        assertThat(api.get("/api/v1/atendimento?q=niteroi").json().get("total").asLong())
                .isEqualTo(1);
    }

    private static List<String> titles(ApiClient.Response response, String field) {
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        List<String> names = new ArrayList<>();
        response.json().forEach(node -> names.add(node.get(field).asString()));
        return names;
    }
}

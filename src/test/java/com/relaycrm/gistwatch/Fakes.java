package com.relaycrm.gistwatch;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** WireMock fakes of GitHub and Pipedrive, with the shapes of upstream-apis.md. */
final class Fakes {

    static final JsonMapper JSON = JsonMapper.builder().build();

    private Fakes() {}

    private static final Map<String, List<StubMapping>> GIST_STUBS = new ConcurrentHashMap<>();

    static WireMockServer start() {
        WireMockServer server = new WireMockServer(options().dynamicPort().extensions(new DealIds()));
        server.start();
        return server;
    }

    /** Answers a deal create like Pipedrive: a fresh numeric id, the title and org_id as sent. */
    static final class DealIds implements ResponseDefinitionTransformerV2 {
        private final AtomicLong next = new AtomicLong(5000);

        @Override
        public ResponseDefinition transform(ServeEvent event) {
            JsonNode body = JSON.readTree(event.getRequest().getBodyAsString());
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("id", next.incrementAndGet());
            data.put("title", body.path("title").asString(""));
            data.put(
                    "org_id",
                    body.path("org_id").isIntegralNumber() ? body.path("org_id").longValue() : null);
            return ResponseDefinitionBuilder.like(event.getResponseDefinition())
                    .but()
                    .withBody(JSON.writeValueAsString(Map.of("success", true, "data", data)))
                    .build();
        }

        @Override
        public boolean applyGlobally() {
            return false;
        }

        @Override
        public String getName() {
            return "deal-ids";
        }
    }

    static String gistJson(String login, String id, String description, String fileName) {
        return """
                {"id":"%s","html_url":"https://gist.github.com/%s/%s","description":%s,"public":true,
                 "created_at":"2024-01-02T03:04:05Z","updated_at":"2024-01-02T03:04:05Z",
                 "files":{"%s":{"filename":"%s","language":"Text","size":12,"raw_url":"https://gist.githubusercontent.com/raw/%s"}},
                 "owner":{"login":"%s"}}""".formatted(
                id, login, id, description == null ? "null" : "\"" + description + "\"", fileName, fileName, id, login);
    }

    static String gists(String login, List<String> ids) {
        return ids.stream()
                .map(id -> gistJson(login, id, "gist " + id + " of " + login, id + ".txt"))
                .collect(Collectors.joining(",", "[", "]"));
    }

    static List<String> ids(String prefix, int from, int count) {
        return IntStream.range(from, from + count)
                .mapToObj(i -> prefix + String.format("%04d", i))
                .toList();
    }

    /** One page of gists with an ETag, answering 304 to that ETag. */
    static void stubGists(WireMockServer github, String login, List<String> ids, String etag) {
        List<StubMapping> previous = GIST_STUBS.remove(github.port() + "/" + login);
        if (previous != null) {
            previous.forEach(github::removeStub);
        }
        List<StubMapping> stubs = new ArrayList<>();
        stubs.add(github.stubFor(get(urlPathEqualTo("/users/" + login + "/gists"))
                .withQueryParam("per_page", equalTo("100"))
                .withHeader("If-None-Match", absent())
                .willReturn(okJson(gists(login, ids))
                        .withHeader("ETag", etag)
                        .withHeader("x-ratelimit-limit", "5000")
                        .withHeader("x-ratelimit-remaining", "4999")
                        .withHeader("x-ratelimit-reset", String.valueOf(System.currentTimeMillis() / 1000 + 3600))
                        .withHeader("x-ratelimit-resource", "core"))));
        // Any other ETag is stale: the full list again.
        stubs.add(github.stubFor(get(urlPathEqualTo("/users/" + login + "/gists"))
                .withHeader("If-None-Match", matching(".+"))
                .atPriority(5)
                .willReturn(okJson(gists(login, ids)).withHeader("ETag", etag))));
        stubs.add(github.stubFor(get(urlPathEqualTo("/users/" + login + "/gists"))
                .withHeader("If-None-Match", equalTo(etag))
                .atPriority(1)
                .willReturn(aResponse().withStatus(304).withHeader("ETag", etag))));
        GIST_STUBS.put(github.port() + "/" + login, stubs);
    }

    static int gistRequests(WireMockServer github, String login) {
        return github.countRequestsMatching(getRequestedFor(urlPathEqualTo("/users/" + login + "/gists"))
                        .build())
                .getCount();
    }

    /** Pipedrive with no organizations or deals yet: searches empty, creates succeed. */
    static void stubPipedriveEmpty(WireMockServer pipedrive, long orgId) {
        pipedrive.stubFor(get(urlPathEqualTo("/v2/organizations/search"))
                .willReturn(okJson("{\"success\":true,\"data\":{\"items\":[]},\"additional_data\":{}}")));
        pipedrive.stubFor(post(urlPathEqualTo("/v2/organizations"))
                .willReturn(aResponse()
                        .withStatus(201)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"success\":true,\"data\":{\"id\":" + orgId + ",\"name\":\"x\"}}")));
        pipedrive.stubFor(get(urlPathEqualTo("/v2/deals/search"))
                .willReturn(okJson("{\"success\":true,\"data\":{\"items\":[]},\"additional_data\":{}}")));
        stubDealCreate(pipedrive);
    }

    static void stubDealCreate(WireMockServer pipedrive) {
        pipedrive.stubFor(post(urlPathEqualTo("/v2/deals"))
                .willReturn(aResponse()
                        .withStatus(201)
                        .withHeader("Content-Type", "application/json")
                        .withTransformers("deal-ids")));
    }

    static void stubExistingOrganization(WireMockServer pipedrive, String name, long id) {
        pipedrive.stubFor(get(urlPathEqualTo("/v2/organizations/search"))
                .withQueryParam("term", equalTo(name))
                .atPriority(1)
                .willReturn(okJson("{\"success\":true,\"data\":{\"items\":[{\"result_score\":1,\"item\":{\"id\":" + id
                        + ",\"name\":\"" + name + "\"}}]},\"additional_data\":{}}")));
    }

    static List<JsonNode> dealsCreated(WireMockServer pipedrive) {
        List<JsonNode> bodies = new ArrayList<>();
        for (LoggedRequest request : pipedrive.findAll(postRequestedFor(urlPathEqualTo("/v2/deals")))) {
            bodies.add(JSON.readTree(request.getBodyAsString()));
        }
        return bodies;
    }

    static int count(WireMockServer server, String method, String path) {
        return (int) server.getAllServeEvents().stream()
                .filter(e -> e.getRequest().getMethod().getName().equals(method)
                        && e.getRequest().getUrl().split("\\?")[0].equals(path))
                .count();
    }
}

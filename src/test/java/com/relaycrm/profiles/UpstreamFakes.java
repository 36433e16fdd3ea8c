package com.relaycrm.profiles;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** WireMock fakes of GitHub and Bitbucket, shaped like ../shared/reference/upstream-apis.md. */
final class UpstreamFakes {

    final WireMockServer github = new WireMockServer(
            WireMockConfiguration.options().dynamicPort().containerThreads(60).asynchronousResponseEnabled(true));
    final WireMockServer bitbucket = new WireMockServer(
            WireMockConfiguration.options().dynamicPort().containerThreads(60).asynchronousResponseEnabled(true));

    UpstreamFakes start() {
        github.start();
        bitbucket.start();
        return this;
    }

    void reset() {
        github.resetAll();
        bitbucket.resetAll();
    }

    String githubUrl() {
        return github.baseUrl();
    }

    String bitbucketUrl() {
        return bitbucket.baseUrl();
    }

    // ---- GitHub ----

    record GhRepo(
            String name, boolean fork, long stars, long openIssues, long sizeKb, String language, List<String> topics) {

        String json(String base, String owner) {
            String topicJson = topics.stream().map(t -> "\"" + t + "\"").collect(Collectors.joining(","));
            return """
                    {"id":1,"name":"%s","full_name":"%s/%s","fork":%s,"stargazers_count":%d,"watchers_count":%d,\
                    "watchers":%d,"forks_count":3,"open_issues_count":%d,"size":%d,"language":%s,"topics":[%s],\
                    "commits_url":"%s/repos/%s/%s/commits{/sha}","owner":{"login":"%s"}}""".formatted(
                            name,
                            owner,
                            name,
                            fork,
                            stars,
                            stars,
                            stars,
                            openIssues,
                            sizeKb,
                            language == null ? "null" : "\"" + language + "\"",
                            topicJson,
                            base,
                            owner,
                            name,
                            owner);
        }
    }

    static GhRepo ghRepo(
            String name, boolean fork, long stars, long openIssues, long sizeKb, String language, String... topics) {
        return new GhRepo(name, fork, stars, openIssues, sizeKb, language, List.of(topics));
    }

    /** The account, its repositories in pages of 100 linked by {@code rel="next"}, and a starred count. */
    void githubUser(String login, long followers, long starred, List<GhRepo> repos) {
        github.stubFor(get(urlPathEqualTo("/users/" + login))
                .willReturn(ghJson("""
                {"login":"%s","id":7,"type":"User","public_repos":%d,"public_gists":0,"followers":%d,"following":3}""".formatted(login, repos.size(), followers))));
        int pages = Math.max(1, (repos.size() + 99) / 100);
        for (int page = 1; page <= pages; page++) {
            List<GhRepo> slice = repos.subList((page - 1) * 100, Math.min(repos.size(), page * 100));
            String body =
                    slice.stream().map(r -> r.json(github.baseUrl(), login)).collect(Collectors.joining(",", "[", "]"));
            ResponseDefinitionBuilder response = ghJson(body);
            String pageUrl = github.baseUrl() + "/users/" + login + "/repos?per_page=100&type=owner&page=";
            if (page < pages) {
                response.withHeader(
                        "Link",
                        "<" + pageUrl + (page + 1) + ">; rel=\"next\", <" + pageUrl + pages + ">; rel=\"last\"");
            }
            MappingBuilder request =
                    get(urlPathEqualTo("/users/" + login + "/repos")).withQueryParam("per_page", equalTo("100"));
            request = page == 1
                    ? request.withQueryParam("page", absent())
                    : request.withQueryParam("page", equalTo(Integer.toString(page)));
            github.stubFor(request.willReturn(response));
        }
        ResponseDefinitionBuilder stars = ghJson(starred == 0 ? "[]" : "[{\"id\":1}]");
        if (starred > 1) {
            String starredUrl = github.baseUrl() + "/users/" + login + "/starred?per_page=1&page=";
            stars.withHeader(
                    "Link", "<" + starredUrl + "2>; rel=\"next\", <" + starredUrl + starred + ">; rel=\"last\"");
        }
        github.stubFor(get(urlPathEqualTo("/users/" + login + "/starred")).willReturn(stars));
    }

    void githubMissing(String login) {
        ResponseDefinitionBuilder notFound = aResponse()
                .withStatus(404)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"message\":\"Not Found\",\"documentation_url\":\"https://docs.github.com\"}");
        github.stubFor(get(urlPathEqualTo("/users/" + login)).willReturn(notFound));
        github.stubFor(get(urlPathEqualTo("/users/" + login + "/repos")).willReturn(notFound));
        github.stubFor(get(urlPathEqualTo("/users/" + login + "/starred")).willReturn(notFound));
    }

    /** Every GitHub path for this login answers {@code response}. */
    void githubAnswers(String login, ResponseDefinitionBuilder response) {
        for (String path : List.of("", "/repos", "/starred")) {
            github.stubFor(get(urlPathEqualTo("/users/" + login + path)).willReturn(response));
        }
    }

    static ResponseDefinitionBuilder githubRateLimited(long resetEpochSeconds) {
        return aResponse()
                .withStatus(403)
                .withHeader("Content-Type", "application/json")
                .withHeader("x-ratelimit-limit", "60")
                .withHeader("x-ratelimit-remaining", "0")
                .withHeader("x-ratelimit-used", "60")
                .withHeader("x-ratelimit-reset", Long.toString(resetEpochSeconds))
                .withBody("{\"message\":\"API rate limit exceeded for 127.0.0.1.\"}");
    }

    static ResponseDefinitionBuilder ghJson(String body) {
        return aResponse()
                .withStatus(200)
                .withHeader("Content-Type", "application/json; charset=utf-8")
                .withHeader("x-ratelimit-remaining", "4999")
                .withHeader("ETag", "W/\"" + Integer.toHexString(body.hashCode()) + "\"")
                .withBody(body);
    }

    // ---- Bitbucket ----

    record BbRepo(String slug, boolean fork, long watchers, long sizeBytes, String language) {

        String json(String base, String workspace) {
            return """
                    {"type":"repository","slug":"%s","name":"%s","full_name":"%s/%s","is_private":false,\
                    "language":"%s","size":%d,%s"links":{"watchers":{"href":"%s/repositories/%s/%s/watchers"},\
                    "forks":{"href":"%s/repositories/%s/%s/forks"}}}""".formatted(
                            slug,
                            slug,
                            workspace,
                            slug,
                            language == null ? "" : language,
                            sizeBytes,
                            fork ? "\"parent\":{\"full_name\":\"someone/" + slug + "\"}," : "",
                            base,
                            workspace,
                            slug,
                            base,
                            workspace,
                            slug);
        }
    }

    static BbRepo bbRepo(String slug, boolean fork, long watchers, long sizeBytes, String language) {
        return new BbRepo(slug, fork, watchers, sizeBytes, language);
    }

    /** Repositories in pages of {@code pageSize} linked by {@code next}, and each repository's watchers. */
    void bitbucketWorkspace(String workspace, List<BbRepo> repos, int pageSize) {
        List<String> pages = new ArrayList<>();
        int count = Math.max(1, (repos.size() + pageSize - 1) / pageSize);
        for (int page = 1; page <= count; page++) {
            List<BbRepo> slice = repos.subList((page - 1) * pageSize, Math.min(repos.size(), page * pageSize));
            String next = page < count ? ",\"next\":\"" + bbPageUrl(workspace, page + 1) + "\"" : "";
            pages.add(bbPage(workspace, slice, page, next));
        }
        stubBitbucketPages(workspace, pages);
        repos.forEach(repo -> bitbucketWatchers(workspace, repo.slug(), repo.watchers()));
    }

    String bbPageUrl(String workspace, int page) {
        return bitbucket.baseUrl() + "/repositories/" + workspace + "?pagelen=100&page=" + page;
    }

    String bbPage(String workspace, List<BbRepo> repos, int page, String nextMember) {
        return "{\"pagelen\":100,\"page\":" + page + nextMember + ",\"values\":"
                + repos.stream()
                        .map(r -> r.json(bitbucket.baseUrl(), workspace))
                        .collect(Collectors.joining(",", "[", "]"))
                + "}";
    }

    void stubBitbucketPages(String workspace, List<String> pages) {
        for (int page = 1; page <= pages.size(); page++) {
            MappingBuilder request =
                    get(urlPathEqualTo("/repositories/" + workspace)).withQueryParam("pagelen", equalTo("100"));
            request = page == 1
                    ? request.withQueryParam("page", absent())
                    : request.withQueryParam("page", equalTo(Integer.toString(page)));
            bitbucket.stubFor(request.willReturn(bbJson(pages.get(page - 1))));
        }
    }

    void bitbucketWatchers(String workspace, String slug, long watchers) {
        StringBuilder values = new StringBuilder("[");
        for (int i = 0; i < Math.min(watchers, 100); i++) {
            values.append(i == 0 ? "" : ",")
                    .append("{\"type\":\"user\",\"nickname\":\"w")
                    .append(i)
                    .append("\"}");
        }
        values.append("]");
        bitbucket.stubFor(get(urlPathEqualTo("/repositories/" + workspace + "/" + slug + "/watchers"))
                .willReturn(
                        bbJson("{\"pagelen\":100,\"size\":" + watchers + ",\"page\":1,\"values\":" + values + "}")));
    }

    void bitbucketMissing(String workspace) {
        bitbucket.stubFor(get(urlPathEqualTo("/repositories/" + workspace))
                .willReturn(aResponse()
                        .withStatus(404)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"type\":\"error\",\"error\":{\"message\":\"No workspace with identifier '"
                                + workspace + "'.\"}}")));
    }

    void bitbucketAnswers(String workspace, ResponseDefinitionBuilder response) {
        bitbucket.stubFor(get(urlPathEqualTo("/repositories/" + workspace)).willReturn(response));
    }

    static ResponseDefinitionBuilder bitbucketRateLimited(long retryAfterSeconds) {
        return aResponse()
                .withStatus(429)
                .withHeader("Content-Type", "application/json")
                .withHeader("Retry-After", Long.toString(retryAfterSeconds))
                .withBody("{\"type\":\"error\",\"error\":{\"message\":"
                        + "\"Rate limit for this resource has been exceeded\"}}");
    }

    static ResponseDefinitionBuilder serverError() {
        return aResponse()
                .withStatus(500)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"message\":\"Server Error\"}");
    }

    static ResponseDefinitionBuilder bbJson(String body) {
        return aResponse()
                .withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody(body);
    }
}

package com.relaycrm.platform;

import static org.assertj.core.api.Assertions.assertThat;

import com.relaycrm.testsupport.ApiClient;
import com.relaycrm.testsupport.HttpTestSupport;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * Sends malformed JSON, wrong types, hostile parameters and wrong methods to every mapped endpoint of every module
 * and asserts that none answers 5xx and every error is a problem body. A forged token goes to every route too, so the
 * failed-authentication budget is raised for each to get its 401.
 */
@org.springframework.test.context.TestPropertySource(
        properties = "relay.rate-limit.groups.auth-failure.capacity=100000")
class HostileInputSweepTest extends HttpTestSupport {

    private static final List<String> BODIES = List.of(
            "{\"broken\": ",
            "[]",
            "\"text\"",
            "12345678901234567890123456789012345678901234567890",
            "null",
            "{}",
            "{\"id\":\"x\",\"name\":[1,{}],\"status\":\"NoSuchStatus\",\"users\":\"alice\",\"message\":7,"
                    + "\"username\":{\"a\":1},\"data_limite\":\"31/02/2021\",\"expected_revenue\":1e400,"
                    + "\"roles\":[null],\"login\":\"../x\",\"active\":\"yes\",\"up_to_seq\":-99999999999999999999}",
            "{\"a\":" + "[".repeat(3000) + "]".repeat(3000) + "}");

    private static final String HOSTILE_QUERY = "?page=abc&per_page=99999999999999999999&limit=-1&skip=x&sort=%27;drop"
            + "&order_by=nope&after=%00%ff&before=!!&status=Nope&created_from=yesterday&start_date=2021-02-31"
            + "&end_date=x&at_most=-5&format=weird&user=..%2F..&dry_run=maybe&delimiter=xx&encoding=klingon";

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping mappings;

    @Test
    void noEndpointAnswers5xxToHostileInput() {
        List<String> failures = new ArrayList<>();
        int requests = 0;
        for (var entry : mappings.getHandlerMethods().entrySet()) {
            RequestMappingInfo info = entry.getKey();
            if (info.getProducesCondition().getProducibleMediaTypes().stream()
                    .anyMatch(type -> type.toString().startsWith("text/event-stream"))) {
                continue;
            }
            Set<RequestMethod> methods = info.getMethodsCondition().getMethods().isEmpty()
                    ? EnumSet.of(RequestMethod.GET, RequestMethod.POST)
                    : info.getMethodsCondition().getMethods();
            for (String pattern : patterns(info)) {
                if (pattern.contains("/events")
                        || pattern.startsWith("/error")
                        || pattern.startsWith("/docs")
                        || pattern.contains("swagger")) {
                    continue;
                }
                for (String path : concretePaths(pattern)) {
                    for (RequestMethod method : methods) {
                        if (method == RequestMethod.GET
                                || method == RequestMethod.DELETE
                                || method == RequestMethod.HEAD
                                || method == RequestMethod.OPTIONS) {
                            requests++;
                            check(failures, method.name(), path + HOSTILE_QUERY, null, null);
                            continue;
                        }
                        for (String body : BODIES) {
                            requests++;
                            check(failures, method.name(), path + HOSTILE_QUERY, "application/json", body);
                        }
                        requests++;
                        check(failures, method.name(), path, "text/plain", "not json at all");
                        requests++;
                        check(failures, method.name(), path, null, "{\"x\":");
                    }
                    for (RequestMethod wrong : EnumSet.complementOf(EnumSet.copyOf(methods))) {
                        if (wrong == RequestMethod.TRACE
                                || wrong == RequestMethod.HEAD
                                || wrong == RequestMethod.OPTIONS) {
                            continue;
                        }
                        requests++;
                        ApiClient.Response response = api.send(wrong.name(), path, "application/json", "{}");
                        if (response.status() >= 500) {
                            failures.add(wrong + " " + path + " -> " + response);
                        }
                    }
                }
            }
        }
        assertThat(requests).as("requests sent").isGreaterThan(50);
        assertThat(failures).as("5xx or non-problem error answers").isEmpty();
    }

    @Test
    void everyNonPublicEndpointNeedsAToken() {
        List<String> open = new ArrayList<>();
        int checked = 0;
        for (var entry : mappings.getHandlerMethods().entrySet()) {
            RequestMappingInfo info = entry.getKey();
            Set<RequestMethod> methods = info.getMethodsCondition().getMethods().isEmpty()
                    ? EnumSet.of(RequestMethod.GET)
                    : info.getMethodsCondition().getMethods();
            for (String pattern : patterns(info)) {
                if (PUBLIC.stream().anyMatch(pattern::startsWith)) {
                    continue;
                }
                String path = pattern.replaceAll("\\{\\*?[^}]+}", "1").replace("/**", "/x");
                for (RequestMethod method : methods) {
                    checked++;
                    ApiClient.Response response = api.anonymous().send(method.name(), path, "application/json", "{}");
                    if (response.status() != 401) {
                        open.add(method + " " + path + " -> " + response.status());
                    }
                    ApiClient.Response badToken = api.as("rly_forged-0000000000000000000000000000000000000")
                            .send(method.name(), path, "application/json", "{}");
                    if (badToken.status() != 401) {
                        open.add(method + " " + path + " with a forged token -> " + badToken.status());
                    }
                }
            }
        }
        assertThat(checked).isGreaterThan(5);
        assertThat(open).as("endpoints answering without a valid token").isEmpty();
    }

    private static final List<String> PUBLIC = List.of(
            "/health",
            "/docs",
            "/openapi.json",
            "/swagger-ui",
            "/error",
            "/v3/api-docs",
            // The web console's sign-in form is public by nature (ConsoleSessionHttpTest covers it).
            "/console/signin");

    private void check(List<String> failures, String method, String path, String contentType, String body) {
        ApiClient.Response response = api.send(method, path, contentType, body);
        if (response.status() >= 500) {
            failures.add(method + " " + path + " body=" + abbreviate(body) + " -> " + abbreviate(response.body()));
        } else if (response.status() >= 400 && !response.contentType().startsWith("application/problem+json")) {
            failures.add(method + " " + path + " -> " + response.status() + " without a problem body: "
                    + abbreviate(response.body()));
        }
    }

    private static Set<String> patterns(RequestMappingInfo info) {
        return info.getPathPatternsCondition() == null
                ? Set.of()
                : info.getPathPatternsCondition().getPatternValues();
    }

    private static Set<String> concretePaths(String pattern) {
        Set<String> paths = new LinkedHashSet<>();
        for (String value : List.of("1", "abc", "99999999999999999999999", "%20")) {
            paths.add(pattern.replaceAll("\\{\\*?[^}]+}", value).replace("/**", "/x"));
        }
        return paths;
    }

    private static String abbreviate(String text) {
        if (text == null) {
            return "null";
        }
        return text.length() > 200 ? text.substring(0, 200) + "..." : text;
    }
}

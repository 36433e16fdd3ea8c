package com.relaycrm.platform;

import static org.assertj.core.api.Assertions.assertThat;

import com.relaycrm.testsupport.ApiClient;
import com.relaycrm.testsupport.HttpTestSupport;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Drives every operation of the published OpenAPI document ({@code /openapi.json}) with a valid request, hostile
 * bodies, parameters and path values, no token, a forged token, a VIEWER token and a stale {@code If-Match}, and
 * checks each answer against the document: its status is documented for that operation, its content type is the one
 * documented for that status, and none is 5xx. Methods a path does not document must answer 405 (or 401 without a
 * token). The rate limiter is off so that the valid requests reach the operation; RateLimitHttpTest covers 429.
 */
@org.springframework.test.context.TestPropertySource(properties = "relay.rate-limit.enabled=false")
class OpenApiContractTest extends HttpTestSupport {

    private static final List<String> HOSTILE_BODIES = List.of(
            "{\"broken\": ",
            "[]",
            "\"text\"",
            "null",
            "{}",
            "{\"id\":\"x\",\"name\":[1,{}],\"status\":\"NoSuchStatus\",\"users\":\"alice\",\"message\":7,"
                    + "\"username\":{\"a\":1},\"data_limite\":\"31/02/2021\",\"expected_revenue\":1e400,"
                    + "\"roles\":[null],\"login\":\"../x\",\"active\":\"yes\",\"up_to_seq\":-99999999999999999999}",
            "{\"a\":" + "[".repeat(3000) + "]".repeat(3000) + "}",
            // Over the 1 MB JSON limit but under Tomcat's 2 MB swallow size, so the 413 arrives on an intact
            // connection.
            "{\"name\":\"" + "x".repeat(1536 * 1024) + "\"}");

    private static final String HOSTILE_QUERY = "page=abc&per_page=99999999999999999999&limit=-1&skip=x&sort=%27;drop"
            + "&order_by=nope&after=%00%ff&before=!!&status=Nope&created_from=yesterday&start_date=2021-02-31"
            + "&end_date=x&at_most=-5&format=weird&user=..%2F..&dry_run=maybe&delimiter=xx&encoding=klingon";

    private static final List<String> HOSTILE_PATH_VALUES = List.of("abc", "99999999999999999999999", "%20", "0");

    /**
     * Operations whose valid request cannot succeed here, with the answer it must get instead: no gist exists without
     * a scan that finds one, and the fake upstream knows no developer.
     */
    private static final Map<String, Integer> NO_SUCCESS_FIXTURE = Map.of(
            "GET /api/v1/github/gists/{id}", 404,
            "POST /api/v1/github/gists/{id}/retry", 404,
            "GET /api/v1/profiles/{name}", 404,
            "POST /api/v1/aggregate", 404);

    private static final String IMPORT = "POST /api/v1/atendimento/import_csv";

    private static final String CSV = "id_atendimento;id_cliente;angel;polo;data_limite;data_de_atendimento\n"
            + "900002;78;Bia;SP - SANTOS;2021-06-30 15:30;2021-06-29 10:00\n";

    private static final Set<String> ALL_METHODS = Set.of("GET", "POST", "PUT", "PATCH", "DELETE");

    /** Answers every upstream call (GitHub, Bitbucket, Pipedrive) with 404, so no test request leaves the machine. */
    static final HttpServer UPSTREAM = upstream();

    @DynamicPropertySource
    static void upstreams(DynamicPropertyRegistry registry) {
        String url = "http://127.0.0.1:" + UPSTREAM.getAddress().getPort();
        registry.add("github.api-url", () -> url);
        registry.add("bitbucket.api-url", () -> url);
        registry.add("pipedrive.api-url", () -> url);
    }

    @AfterAll
    static void stopUpstream() {
        UPSTREAM.stop(0);
    }

    private static HttpServer upstream() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/", exchange -> {
                byte[] body = "{\"message\":\"Not Found\"}".getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(404, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            server.start();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private JsonNode spec;
    private final List<String> failures = new ArrayList<>();
    private final Map<String, Set<Integer>> seen = new TreeMap<>();
    private int requests;

    @Test
    void everyAnswerOfEveryOperationIsDocumented() {
        ApiClient.Response document = api.anonymous().get("/openapi.json");
        assertThat(document.status()).isEqualTo(200);
        spec = document.json();
        assertThat(spec.get("openapi").asString()).startsWith("3.1");

        Fixtures fixtures = new Fixtures();
        ApiClient viewer = clientFor("contract-viewer", Role.VIEWER);
        List<Operation> operations = operations();
        assertThat(operations).hasSizeGreaterThan(60);

        // Valid requests first (destructive ones last, so that they do not take fixtures from the others).
        operations.stream()
                .sorted((a, b) -> Boolean.compare(a.method.equals("DELETE"), b.method.equals("DELETE")))
                .forEach(op -> {
                    int status = send(
                            op,
                            api,
                            op.method,
                            fixtures.path(op),
                            op.key().equals(IMPORT) ? "text/csv" : "application/json",
                            op.key().equals(IMPORT) ? CSV : fixtures.body(op),
                            op.query(fixtures));
                    boolean expected = status < 300 || NO_SUCCESS_FIXTURE.getOrDefault(op.key(), -1) == status;
                    if (!expected) {
                        failures.add(op.key() + ": the valid request answered " + status);
                    }
                });

        for (Operation op : operations) {
            String path = fixtures.path(op);
            send(op, api.anonymous(), op.method, path, "application/json", "{}", null);
            send(
                    op,
                    api.as("rly_forged-0000000000000000000000000000000000000"),
                    op.method,
                    path,
                    "application/json",
                    "{}",
                    null);
            send(op, viewer, op.method, path, "application/json", fixtures.body(op), null);
            send(op, api, op.method, path, null, null, HOSTILE_QUERY);
            for (String value : HOSTILE_PATH_VALUES) {
                if (op.path.contains("{")) {
                    String hostilePath = op.path.replaceAll("\\{[^}]+}", value);
                    send(op, api, op.method, hostilePath, "application/json", fixtures.body(op), null);
                }
            }
            if (!op.method.equals("GET") && !op.method.equals("DELETE")) {
                for (String body : HOSTILE_BODIES) {
                    send(op, api, op.method, path, "application/json", body, null);
                }
                send(op, api, op.method, path, "text/plain", "not json at all", null);
                send(op, api, op.method, path, "application/xml", "<lead/>", null);
                send(op, api, op.method, path, null, "{\"x\":", null);
            }
            if (op.hasHeader("If-Match")) {
                send(op, api, op.method, path, "application/json", fixtures.body(op), null, "If-Match", "\"999999\"");
                send(op, api, op.method, path, "application/json", fixtures.body(op), null, "If-Match", "garbage");
            }
            if (op.hasHeader("Idempotency-Key")) {
                send(
                        op,
                        api,
                        op.method,
                        path,
                        "application/json",
                        fixtures.body(op),
                        null,
                        "Idempotency-Key",
                        "has spaces in it");
            }
        }

        // Methods a path does not document are 405 problems (401 first without a token).
        Map<String, Set<String>> documented = new TreeMap<>();
        operations.forEach(
                op -> documented.computeIfAbsent(op.path, p -> new TreeSet<>()).add(op.method));
        documented.forEach((template, methods) -> {
            String path = template.replaceAll("\\{[^}]+}", "1");
            for (String method : ALL_METHODS) {
                if (methods.contains(method)) {
                    continue;
                }
                // "/thread/1/events" is also "/thread/{threadId}/{username}": such a request belongs to that one.
                if (operations.stream()
                        .anyMatch(op ->
                                op.method.equals(method) && path.matches(op.path.replaceAll("\\{[^}]+}", "[^/]+")))) {
                    continue;
                }
                requests++;
                ApiClient.Response response = api.send(method, path, "application/json", "{}");
                if (response.status() != 405 || !isProblem(response)) {
                    failures.add(method + " " + path + " (undocumented method) -> " + abbreviate(response));
                }
            }
        });

        assertThat(requests).as("requests sent").isGreaterThan(900);
        assertThat(failures)
                .as("answers the OpenAPI document does not describe")
                .isEmpty();
        // Every operation must have been reached by a request that got past authentication and routing.
        List<String> neverServed = new ArrayList<>();
        seen.forEach((operation, statuses) -> {
            if (statuses.stream().noneMatch(s -> s < 300 || s == 404 || s == 409 || s == 422 || s == 400)) {
                neverServed.add(operation + " " + statuses);
            }
        });
        assertThat(neverServed).as("operations no request got an answer from").isEmpty();
    }

    // ---- the spec

    record Operation(String method, String path, JsonNode node) {

        boolean hasHeader(String name) {
            for (JsonNode parameter : node.path("parameters")) {
                if (parameter.path("in").asString().equals("header")
                        && parameter.path("name").asString().equalsIgnoreCase(name)) {
                    return true;
                }
            }
            return false;
        }

        String query(Fixtures fixtures) {
            return fixtures.query(this);
        }

        String key() {
            return method + " " + path;
        }
    }

    private List<Operation> operations() {
        List<Operation> operations = new ArrayList<>();
        for (var path : spec.get("paths").properties()) {
            for (var method : path.getValue().properties()) {
                String name = method.getKey().toUpperCase(Locale.ROOT);
                if (ALL_METHODS.contains(name)) {
                    operations.add(new Operation(name, path.getKey(), method.getValue()));
                }
            }
        }
        return operations;
    }

    // ---- sending and checking

    private int send(
            Operation op,
            ApiClient client,
            String method,
            String path,
            String contentType,
            String body,
            String query,
            String... headers) {
        requests++;
        String target = path + (query == null || query.isEmpty() ? "" : (path.contains("?") ? "&" : "?") + query);
        ApiClient.Response response = op.path.endsWith("/events") && method.equals("GET")
                ? openStream(client, target)
                : client.sendBytes(
                        method,
                        target,
                        contentType,
                        body == null ? null : body.getBytes(StandardCharsets.UTF_8),
                        headers);
        seen.computeIfAbsent(op.key(), k -> new TreeSet<>()).add(response.status());
        String what = method + " " + target + (body == null ? "" : " body=" + abbreviate(body));
        if (response.status() >= 500) {
            failures.add(what + " -> 5xx: " + abbreviate(response));
            return response.status();
        }
        JsonNode documented = op.node.path("responses").path(Integer.toString(response.status()));
        if (documented.isMissingNode()) {
            documented = op.node.path("responses").path("default");
        }
        if (documented.isMissingNode()) {
            failures.add(op.key() + ": " + what + " -> " + response.status() + " is not documented (documented: "
                    + op.node.path("responses").propertyNames() + ")");
            return response.status();
        }
        JsonNode content = documented.path("content");
        String actual = mediaType(response.contentType());
        if (content.isMissingNode() || content.isEmpty()) {
            if (response.bytes().length > 0) {
                failures.add(op.key() + ": " + what + " -> " + response.status()
                        + " has a body but the spec documents none: " + abbreviate(response));
            }
            return response.status();
        }
        boolean matches = false;
        for (String documentedType : content.propertyNames()) {
            if (documentedType.equals("*/*") || documentedType.equalsIgnoreCase(actual)) {
                matches = true;
            }
        }
        if (!matches) {
            failures.add(op.key() + ": " + what + " -> " + response.status() + " with content type '" + actual
                    + "', documented " + content.propertyNames());
        }
        if (response.status() >= 400 && !isProblem(response)) {
            failures.add(what + " -> " + response.status() + " without a problem body: " + abbreviate(response));
        }
        return response.status();
    }

    private static boolean isProblem(ApiClient.Response response) {
        if (!response.contentType().startsWith("application/problem+json")) {
            return false;
        }
        JsonNode json = response.json();
        return json.path("status").asInt() == response.status() && json.hasNonNull("title");
    }

    /** Opens an SSE stream, keeps its status and headers and closes it without waiting for events. */
    private static ApiClient.Response openStream(ApiClient client, String target) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(client.base() + target))
                .timeout(Duration.ofSeconds(30))
                .GET();
        if (client.token() != null) {
            request.header("Authorization", "Bearer " + client.token());
        }
        try (HttpClient http = HttpClient.newBuilder().build()) {
            HttpResponse<InputStream> response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            byte[] body;
            try (InputStream in = response.body()) {
                body = response.statusCode() == 200 ? new byte[0] : in.readAllBytes();
            }
            return new ApiClient.Response(response.statusCode(), response.headers(), body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String mediaType(String contentType) {
        int semicolon = contentType.indexOf(';');
        return (semicolon < 0 ? contentType : contentType.substring(0, semicolon))
                .trim()
                .toLowerCase(Locale.ROOT);
    }

    private static String abbreviate(Object value) {
        String text = String.valueOf(value);
        return text.length() > 300 ? text.substring(0, 300) + "..." : text;
    }

    // ---- fixtures: one of everything, so that the valid request of each operation has something to act on

    private final class Fixtures {

        final Map<String, String> values = new HashMap<>();
        final Map<String, String> deletable = new HashMap<>();

        Fixtures() {
            String employee = created(api.post(
                    "/employees",
                    "{\"name\":\"Contract Rep\",\"email\":\"rep@contract.test\",\"role\":\"SALES_REP\"}"));
            String spareEmployee = created(api.post(
                    "/employees", "{\"name\":\"Spare Rep\",\"email\":\"spare@contract.test\",\"role\":\"SALES_REP\"}"));
            values.put("employee", employee);
            deletable.put("/employees/{id}", spareEmployee);
            values.put("/employees/{id}", employee);
            values.put("/leads/{id}", lead(employee, "contract lead"));
            deletable.put("/leads/{id}", lead(employee, "doomed lead"));
            values.put("/customers/{id}", customer(employee, "customer@contract.test"));
            deletable.put("/customers/{id}", customer(employee, "doomed@contract.test"));
            values.put(
                    "/api/v1/tokens/{id}",
                    created(api.post("/api/v1/tokens", "{\"username\":\"contract-kept\",\"roles\":[\"VIEWER\"]}")));
            deletable.put(
                    "/api/v1/tokens/{id}",
                    created(api.post("/api/v1/tokens", "{\"username\":\"contract-doomed\",\"roles\":[\"VIEWER\"]}")));
            String visit = "{\"id_cliente\": 123456, \"angel\": \"Bia\", \"polo\": \"SP - SANTOS\","
                    + " \"data_limite\": \"2021-06-30 15:30\", \"data_de_atendimento\": \"2021-06-29 10:00\"}";
            values.put("/api/v1/atendimento/{id}", created(api.post("/api/v1/atendimento", visit)));
            deletable.put("/api/v1/atendimento/{id}", created(api.post("/api/v1/atendimento", visit)));
            assertThat(api.post("/api/v1/holidays", "{\"date\": \"2021-07-01\", \"name\": \"Kept\"}")
                            .status())
                    .isEqualTo(201);
            assertThat(api.post("/api/v1/holidays", "{\"date\": \"2021-07-02\", \"name\": \"Doomed\"}")
                            .status())
                    .isEqualTo(201);
            values.put("/api/v1/holidays/{date}", "2021-07-01");
            deletable.put("/api/v1/holidays/{date}", "2021-07-02");
            assertThat(api.post("/api/v1/github/watched-users", "{\"login\":\"contract-kept\"}")
                            .status())
                    .isEqualTo(201);
            assertThat(api.post("/api/v1/github/watched-users", "{\"login\":\"contract-doomed\"}")
                            .status())
                    .isEqualTo(201);
            values.put("/api/v1/github/watched-users/{login}", "contract-kept");
            deletable.put("/api/v1/github/watched-users/{login}", "contract-doomed");
            ApiClient.Response thread = api.post("/thread", "{\"users\":[\"contract-a\",\"contract-b\"]}");
            assertThat(thread.status()).as(thread.body()).isEqualTo(201);
            String threadId = thread.json().get("thread_id").asString();
            values.put("threadId", threadId);
            values.put("username", "contract-a");
            assertThat(api.post("/thread/" + threadId + "/contract-a", "{\"message\":\"first\"}")
                            .status())
                    .isEqualTo(204);
            assertThat(api.post("/thread/" + threadId + "/contract-a", "{\"message\":\"second\"}")
                            .status())
                    .isEqualTo(204);
            JsonNode messages = api.get("/thread/" + threadId).json().get("messages");
            values.put("messageId", messages.get(0).get("id").asString());
            deletable.put("messageId", messages.get(1).get("id").asString());
            ApiClient.Response imported = api.sendBytes(
                    "POST",
                    "/api/v1/atendimento/import_csv",
                    "text/csv",
                    ("id_atendimento;id_cliente;angel;polo;data_limite;data_de_atendimento\n"
                                    + "900001;77;Bia;SP - SANTOS;2021-06-30 15:30;2021-06-29 10:00\n")
                            .getBytes(StandardCharsets.UTF_8));
            assertThat(imported.status()).as(imported.body()).isEqualTo(202);
            values.put("taskId", imported.json().get("task_id").asString());
            // webhooks: a kept subscription (id 1) with one delivery, and a doomed one; the URL is public (no
            // delivery will reach it here, which is fine: only the API is under test)
            String hook = "{\"url\":\"https://93.184.216.34/contract\",\"events\":[\"lead.won\"]}";
            values.put("/api/v1/webhooks/{id}", created(api.post("/api/v1/webhooks", hook)));
            deletable.put("/api/v1/webhooks/{id}", created(api.post("/api/v1/webhooks", hook)));
            ApiClient.Response ping = api.post("/api/v1/webhooks/" + values.get("/api/v1/webhooks/{id}") + "/test", "");
            assertThat(ping.status()).as(ping.body()).isEqualTo(202);
            values.put("deliveryId", ping.json().get("id").asString());
            values.put("name", "contract-dev");
            values.put("id", "1");
        }

        private String lead(String employee, String name) {
            return created(api.post(
                    "/leads",
                    "{\"name\":\"" + name + "\",\"contact_email\":\"" + name.replace(' ', '.')
                            + "@contract.test\",\"assigned_to\":" + employee + "}"));
        }

        private String customer(String employee, String email) {
            return created(api.post(
                    "/customers",
                    "{\"name\":\"Customer\",\"contact_email\":\"" + email + "\",\"account_manager_id\":" + employee
                            + "}"));
        }

        private static String created(ApiClient.Response response) {
            assertThat(response.status()).as(response.body()).isEqualTo(201);
            return response.json().get("id").asString();
        }

        String path(Operation op) {
            Map<String, String> source = op.method.equals("DELETE") ? deletable : Map.of();
            String whole =
                    source.getOrDefault(op.path, values.get(op.path.replaceAll("/(restore|history|convert)$", "")));
            String path = op.path;
            if (whole != null) {
                path = path.replaceFirst("\\{[^}]+}", whole);
            }
            for (String name : List.of(
                    "threadId", "username", "messageId", "taskId", "name", "login", "date", "deliveryId", "id")) {
                String value = source.getOrDefault(name, values.get(name));
                if (value != null) {
                    path = path.replace("{" + name + "}", value);
                }
            }
            return path;
        }

        String query(Operation op) {
            return switch (op.key()) {
                case "GET /leads" -> "limit=5&status=New&sort=-created_at";
                case "GET /customers" -> "limit=5&q=contract";
                case "GET /employees" -> "limit=5";
                case "GET /api/v1/atendimento/angel_productivity", "GET /api/v1/atendimento/polo_productivity" ->
                    "at_most=5";
                case "GET /api/v1/indicators/sla/angel", "GET /api/v1/indicators/sla/polo" ->
                    "start_date=2021-06-01&end_date=2021-07-31";
                case "GET /api/v1/indicators/productivity/angel" -> "start_date=2021-06-01&end_date=2021-07-31";
                case "POST /api/v1/github/scan" -> "login=contract-kept";
                case "GET /getGists" -> "format=full";
                case "GET /thread/{threadId}" -> "limit=1";
                case "GET /thread/{threadId}/messages" -> "limit=1&q=contract";
                case "GET /api/v1/search" -> "q=contract";
                case "GET /users/{username}/threads" -> "limit=5";
                default -> null;
            };
        }

        String body(Operation op) {
            return switch (op.key()) {
                case "POST /api/v1/aggregate" -> "{\"username\":\"contract-dev\"}";
                case "POST /api/v1/webhooks" ->
                    "{\"url\":\"https://93.184.216.34/new\",\"events\":[\"lead.created\",\"*\"]}";
                case "PATCH /api/v1/webhooks/{id}" -> "{\"description\":\"contract\"}";
                case "POST /api/v1/atendimento", "PUT /api/v1/atendimento/{id}" ->
                    "{\"id_cliente\": 654321, \"angel\": \"Caio\", \"polo\": \"RJ - NITEROI\","
                            + " \"data_limite\": \"2021-07-30 15:30\", \"data_de_atendimento\": \"2021-07-29 10:00\"}";
                case "PATCH /api/v1/atendimento/{id}" -> "{\"angel\": \"Caio\"}";
                case "POST /api/v1/holidays" -> "{\"date\": \"2021-12-25\", \"name\": \"Natal\"}";
                case "POST /api/v1/github/watched-users" -> "{\"login\":\"contract-new\"}";
                case "POST /api/v1/tokens" -> "{\"username\":\"contract-new\",\"roles\":[\"AGENT\"]}";
                case "POST /employees" ->
                    "{\"name\":\"New Rep\",\"email\":\"new@contract.test\",\"role\":\"SALES_REP\"}";
                case "PATCH /employees/{id}", "PUT /employees/{id}" -> "{\"name\":\"Renamed Rep\"}";
                case "POST /leads" ->
                    "{\"name\":\"new lead\",\"contact_email\":\"new.lead@contract.test\",\"assigned_to\":"
                            + values.get("employee") + "}";
                case "PATCH /leads/{id}", "PUT /leads/{id}" -> "{\"status\":\"Contacted\"}";
                case "POST /leads/{id}/convert" -> "{}";
                case "POST /customers" ->
                    "{\"name\":\"New\",\"contact_email\":\"new.customer@contract.test\",\"account_manager_id\":"
                            + values.get("employee") + "}";
                case "PATCH /customers/{id}", "PUT /customers/{id}" -> "{\"phone_number\":\"+55 11 5555-0000\"}";
                case "POST /thread" -> "{\"users\":[\"contract-a\",\"contract-c\"]}";
                case "POST /thread/{threadId}/{username}" -> "{\"message\":\"hello\"}";
                case "POST /thread/{threadId}/{username}/read" -> "{\"up_to_seq\":1}";
                case "PATCH /thread/{threadId}/messages/{messageId}" -> "{\"message\":\"edited\"}";
                default -> op.method.equals("GET") || op.method.equals("DELETE") ? null : "{}";
            };
        }
    }
}

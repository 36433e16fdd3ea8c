package com.relaycrm.platform;

import static org.assertj.core.api.Assertions.assertThat;

import com.relaycrm.testsupport.HttpTestSupport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The committed request collection ({@code docs/api/relay.http}, for IntelliJ's and VS Code's HTTP clients) is
 * generated from the live OpenAPI document, so it cannot drift. Regenerate with
 * {@code ./mvnw test -Dtest=ApiCollectionTest -Drelay.update-api-collection=true}.
 */
class ApiCollectionTest extends HttpTestSupport {

    private static final Path COLLECTION = Path.of("docs/api/relay.http");
    private static final String[] METHODS = {"get", "post", "put", "patch", "delete"};

    @Test
    void collectionMatchesTheOpenApiDocument() throws Exception {
        JsonNode spec = api.anonymous().get("/openapi.json").json();
        String expected = render(spec);
        if (Boolean.getBoolean("relay.update-api-collection")) {
            Files.createDirectories(COLLECTION.getParent());
            Files.writeString(COLLECTION, expected);
        }
        assertThat(COLLECTION).as("docs/api/relay.http exists").exists();
        assertThat(Files.readString(COLLECTION))
                .as("docs/api/relay.http is stale; regenerate it with "
                        + "./mvnw test -Dtest=ApiCollectionTest -Drelay.update-api-collection=true")
                .isEqualTo(expected);
    }

    static String render(JsonNode spec) {
        StringBuilder out = new StringBuilder("""
                # Relay API requests, generated from /openapi.json by ApiCollectionTest (do not edit by hand).
                # Set these two variables, e.g. in http-client.env.json, then run any request.
                @base = http://localhost:8080
                @token = paste-a-token-here

                """);
        Map<String, JsonNode> paths = new TreeMap<>();
        spec.get("paths").properties().forEach(entry -> paths.put(entry.getKey(), entry.getValue()));
        paths.forEach((path, item) -> {
            for (String method : METHODS) {
                JsonNode operation = item.get(method);
                if (operation == null) {
                    continue;
                }
                String title = operation.has("summary")
                        ? operation.get("summary").asString()
                        : operation.path("operationId").asString(method + " " + path);
                out.append("### ").append(title).append('\n');
                out.append(method.toUpperCase(java.util.Locale.ROOT))
                        .append(" {{base}}")
                        .append(path.replaceAll("\\{([^}]+)}", "{{$1}}"))
                        .append('\n');
                boolean secured =
                        !operation.has("security") || !operation.get("security").isEmpty();
                if (secured) {
                    out.append("Authorization: Bearer {{token}}\n");
                }
                if (operation.has("requestBody")) {
                    JsonNode content = operation.at("/requestBody/content");
                    String type = content.propertyNames().stream().findFirst().orElse("application/json");
                    out.append("Content-Type: ").append(type).append("\n\n");
                    out.append(type.contains("json") ? "{}" : "").append('\n');
                }
                out.append('\n');
            }
        });
        return out.toString();
    }
}

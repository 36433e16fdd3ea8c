package com.relaycrm.platform.docs;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.swagger.v3.core.jackson.ModelResolver;
import io.swagger.v3.core.util.Json;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.RequestBody;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springdoc.core.utils.SpringDocUtils;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.JsonNode;

@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

    private static final Set<String> PUBLIC_PATHS = Set.of("/health");

    static {
        // Request bodies are read as trees; they are plain objects unless an operation names a schema.
        SpringDocUtils.getConfig().replaceWithSchema(JsonNode.class, new ObjectSchema());
    }

    /** Documents models with the snake_case names the API really uses. */
    @Bean
    ModelResolver snakeCaseModelResolver() {
        return new ModelResolver(Json.mapper().copy().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE));
    }

    @Bean
    OpenAPI relayOpenApi() {
        return new OpenAPI()
                .info(new Info()
                        .title("Relay API")
                        .version("v1")
                        .description("Sales CRM, messaging, field service and developer signals in one service."))
                .components(new Components()
                        .addSecuritySchemes(
                                "bearer",
                                new SecurityScheme()
                                        .type(SecurityScheme.Type.HTTP)
                                        .scheme("bearer")
                                        .description("An API token issued by POST /api/v1/tokens")))
                .addSecurityItem(new SecurityRequirement().addList("bearer"));
    }

    /**
     * Success statuses that differ from 200. springdoc cannot see the status a {@code ResponseEntity} is built with,
     * so the operations that answer 201/202/204 are listed here; {@code OpenApiContractTest} sends a valid request to
     * every operation and fails when a real status is missing from the spec.
     */
    private static final Map<String, String> SUCCESS = Map.ofEntries(
            Map.entry("POST /api/v1/tokens", "201"),
            Map.entry("DELETE /api/v1/tokens/{id}", "204"),
            Map.entry("POST /employees", "201"),
            Map.entry("DELETE /employees/{id}", "204"),
            Map.entry("POST /customers", "201"),
            Map.entry("DELETE /customers/{id}", "204"),
            Map.entry("POST /leads", "201"),
            Map.entry("DELETE /leads/{id}", "204"),
            Map.entry("POST /api/v1/holidays", "201"),
            Map.entry("DELETE /api/v1/holidays/{date}", "204"),
            Map.entry("POST /api/v1/atendimento", "201"),
            Map.entry("DELETE /api/v1/atendimento/{id}", "204"),
            Map.entry("POST /api/v1/atendimento/import_csv", "202"),
            Map.entry("POST /thread", "201"),
            Map.entry("POST /thread/{threadId}/{username}", "204"),
            Map.entry("DELETE /thread/{threadId}/messages/{messageId}", "204"),
            Map.entry("POST /api/v1/github/watched-users", "201"),
            Map.entry("DELETE /api/v1/github/watched-users/{login}", "204"),
            Map.entry("POST /api/v1/github/gists/{id}/retry", "202"),
            Map.entry("POST /api/v1/webhooks", "201"),
            Map.entry("DELETE /api/v1/webhooks/{id}", "204"),
            Map.entry("POST /api/v1/webhooks/{id}/test", "202"),
            Map.entry("POST /api/v1/webhooks/{id}/deliveries/{deliveryId}/redeliver", "202"));

    /** Success bodies that are not JSON. */
    private static final Map<String, String> SUCCESS_MEDIA_TYPE = Map.of(
            "GET /api/v1/atendimento/task_status/{taskId}/errors.csv", "text/csv",
            "GET /thread/{threadId}/events", "text/event-stream");

    /**
     * Documents what each operation really answers: its success status and body type, and the problems it can give
     * (as {@code application/problem+json}): 400/422 for bad input, 401/403 for a missing token or role, 404, 409 for
     * writes that conflict, 412 where {@code If-Match} is accepted, 413/415 where a body is read, 429 from the rate
     * limiter and 503 while the database is unreachable.
     */
    @Bean
    OpenApiCustomizer problemResponses() {
        Schema<?> fieldError =
                new ObjectSchema().addProperty("field", new StringSchema()).addProperty("message", new StringSchema());
        Schema<?> problem = new ObjectSchema()
                .description("RFC 9457 problem details")
                .addProperty("type", new StringSchema().format("uri"))
                .addProperty("title", new StringSchema())
                .addProperty("status", new IntegerSchema())
                .addProperty("detail", new StringSchema())
                .addProperty("instance", new StringSchema())
                .addProperty("request_id", new StringSchema())
                .addProperty("errors", new ArraySchema().items(new Schema<>().$ref("#/components/schemas/FieldError")));
        return openApi -> {
            openApi.getComponents().addSchemas("FieldError", fieldError).addSchemas("Problem", problem);
            openApi.getPaths()
                    .forEach((path, item) -> item.readOperationsMap().forEach((method, operation) -> {
                        String key = method.name() + " " + path;
                        if (key.equals("POST /api/v1/atendimento/import_csv") && operation.getRequestBody() == null) {
                            // The controller reads the raw request itself, so springdoc cannot see the body.
                            operation.setRequestBody(new RequestBody()
                                    .required(true)
                                    .content(new Content()
                                            .addMediaType("text/csv", new MediaType().schema(new StringSchema()))
                                            .addMediaType(
                                                    "multipart/form-data",
                                                    new MediaType()
                                                            .schema(new ObjectSchema()
                                                                    .addProperty(
                                                                            "file",
                                                                            new StringSchema().format("binary"))))));
                        }
                        documentSuccess(key, operation);
                        boolean open = PUBLIC_PATHS.contains(path);
                        if (open) {
                            operation.setSecurity(List.of());
                        }
                        // A public route still refuses an Authorization header that names an unknown token.
                        Set<String> statuses = new TreeSet<>(Set.of("401", "429", "503"));
                        if (!open) {
                            statuses.addAll(Set.of("400", "403", "404", "422"));
                            boolean write = method != PathItem.HttpMethod.GET && method != PathItem.HttpMethod.HEAD;
                            if (write) {
                                statuses.add("409");
                            }
                            if (operation.getRequestBody() != null || write) {
                                statuses.addAll(Set.of("413", "415"));
                            }
                            if (operation.getParameters() != null
                                    && operation.getParameters().stream()
                                            .anyMatch(p -> "If-Match".equalsIgnoreCase(p.getName()))) {
                                statuses.add("412");
                            }
                        }
                        for (String status : statuses) {
                            operation.getResponses().putIfAbsent(status, problemResponse(status));
                        }
                    }));
        };
    }

    private static void documentSuccess(String key, Operation operation) {
        ApiResponses responses = operation.getResponses();
        ApiResponse ok = responses.get("200");
        List<String> statuses = List.of(SUCCESS.getOrDefault(key, "200").split(" "));
        if (ok == null) {
            return;
        }
        if (!statuses.contains("200")) {
            responses.remove("200");
        }
        for (String status : statuses) {
            ApiResponse success = status.equals("200")
                    ? ok
                    : new ApiResponse().description(ok.getDescription()).content(ok.getContent());
            responses.put(status, success);
            describeSuccessBody(key, status, success);
        }
    }

    private static void describeSuccessBody(String key, String status, ApiResponse success) {
        if (status.equals("204")) {
            success.setContent(null);
            success.setDescription("No content");
            return;
        }
        Content content = success.getContent();
        String mediaType = SUCCESS_MEDIA_TYPE.getOrDefault(key, "application/json");
        MediaType body = content == null || content.isEmpty()
                ? new MediaType()
                : content.values().iterator().next();
        success.setContent(new Content().addMediaType(mediaType, body));
    }

    private static ApiResponse problemResponse(String status) {
        String description = switch (status) {
            case "400" -> "Malformed request (JSON, parameter or header)";
            case "401" -> "Missing, unknown or revoked token";
            case "403" -> "The token's roles (or participation) do not allow this";
            case "404" -> "No such resource";
            case "409" -> "Conflicts with the current state or with existing data";
            case "412" -> "If-Match does not match the current version";
            case "413" -> "The body exceeds the size limit";
            case "415" -> "The body's content type is not accepted here";
            case "422" -> "Validation failed; errors names each field";
            case "429" -> "Rate limit exceeded; see Retry-After and RateLimit-* headers";
            case "503" -> "The database is unavailable or the resource is busy; see Retry-After";
            default -> "Problem";
        };
        return new ApiResponse()
                .description(description)
                .content(new Content()
                        .addMediaType(
                                "application/problem+json",
                                new MediaType().schema(new Schema<>().$ref("#/components/schemas/Problem"))));
    }
}

package com.relaycrm.platform.docs;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.swagger.v3.core.jackson.ModelResolver;
import io.swagger.v3.core.util.Json;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import java.util.List;
import java.util.Set;
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

    /** Adds the problem schema and the problem responses every route can give. */
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
            Content content = new Content()
                    .addMediaType(
                            "application/problem+json",
                            new MediaType().schema(new Schema<>().$ref("#/components/schemas/Problem")));
            openApi.getPaths()
                    .forEach((path, item) -> item.readOperations().forEach(operation -> {
                        boolean open = PUBLIC_PATHS.contains(path);
                        if (open) {
                            operation.setSecurity(List.of());
                        }
                        for (String status :
                                open ? new String[] {"503"} : new String[] {"400", "401", "403", "404", "422"}) {
                            operation
                                    .getResponses()
                                    .putIfAbsent(
                                            status,
                                            new ApiResponse()
                                                    .description("Problem")
                                                    .content(content));
                        }
                    }));
        };
    }
}

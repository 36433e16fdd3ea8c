package com.relaycrm.platform.database;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Translates the Heroku-style {@code DATABASE_URL} into Spring's datasource properties and {@code LOG_FORMAT=json}
 * into Boot's structured console logging. {@code SPRING_DATASOURCE_URL} wins when both are set.
 */
public class ExternalDatabaseEnvironment implements EnvironmentPostProcessor {

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        Map<String, Object> derived = new HashMap<>();
        String databaseUrl = environment.getProperty("DATABASE_URL", "");
        if (!databaseUrl.isBlank()
                && environment.getProperty("spring.datasource.url", "").isBlank()) {
            derived.putAll(datasourceProperties(databaseUrl));
        }
        if ("json".equalsIgnoreCase(environment.getProperty("LOG_FORMAT", ""))) {
            derived.put("logging.structured.format.console", "ecs");
        }
        if (!derived.isEmpty()) {
            environment.getPropertySources().addFirst(new MapPropertySource("relayDerived", derived));
        }
    }

    static Map<String, Object> datasourceProperties(String databaseUrl) {
        URI uri;
        try {
            uri = URI.create(databaseUrl.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(
                    "DATABASE_URL is not a valid URL (expected postgresql://user:pass@host:port/db)");
        }
        String scheme = uri.getScheme();
        if (!"postgresql".equals(scheme) && !"postgres".equals(scheme)) {
            throw new IllegalStateException("DATABASE_URL must start with postgresql:// (got " + scheme + "://)");
        }
        if (uri.getHost() == null) {
            throw new IllegalStateException("DATABASE_URL has no host (expected postgresql://user:pass@host:port/db)");
        }
        Map<String, Object> properties = new HashMap<>();
        String port = uri.getPort() > 0 ? ":" + uri.getPort() : "";
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/postgres" : uri.getRawPath();
        String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
        properties.put("spring.datasource.url", "jdbc:postgresql://" + uri.getHost() + port + path + query);
        String userInfo = uri.getRawUserInfo();
        if (userInfo != null) {
            int colon = userInfo.indexOf(':');
            String user = colon < 0 ? userInfo : userInfo.substring(0, colon);
            properties.put("spring.datasource.username", URLDecoder.decode(user, StandardCharsets.UTF_8));
            if (colon >= 0) {
                properties.put(
                        "spring.datasource.password",
                        URLDecoder.decode(userInfo.substring(colon + 1), StandardCharsets.UTF_8));
            }
        }
        return properties;
    }
}

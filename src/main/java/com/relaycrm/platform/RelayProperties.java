package com.relaycrm.platform;

import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Relay-wide settings. Environment variables map by Spring's relaxed binding ({@code RELAY_DATA_DIR},
 * {@code RELAY_ADMIN_TOKEN}).
 */
@ConfigurationProperties("relay")
public record RelayProperties(
        @DefaultValue("./data") Path dataDir, @Nullable String adminToken) {

    public RelayProperties {
        if (adminToken != null && adminToken.isBlank()) {
            adminToken = null;
        }
    }
}

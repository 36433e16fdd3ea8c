package com.relaycrm.platform;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Relay-wide settings. Environment variables map by Spring's relaxed binding ({@code RELAY_DATA_DIR},
 * {@code RELAY_ADMIN_TOKEN}, {@code RELAY_TRUSTED_PROXIES}, {@code RELAY_PUBLIC_BASE_URL}).
 *
 * @param trustedProxies addresses or CIDR blocks of the reverse proxies whose {@code X-Forwarded-*} headers are
 *     believed; empty (the default) believes no one, so a client cannot choose its own address or host
 * @param publicBaseUrl the URL clients reach Relay at (e.g. {@code https://crm.example.com}); absolute links in
 *     responses start with it. Unset, such links are relative
 */
@ConfigurationProperties("relay")
public record RelayProperties(
        @DefaultValue("./data") Path dataDir,
        @Nullable String adminToken,
        @DefaultValue List<String> trustedProxies,
        @Nullable URI publicBaseUrl) {

    public RelayProperties {
        if (adminToken != null && adminToken.isBlank()) {
            adminToken = null;
        }
        trustedProxies = trustedProxies.stream()
                .map(String::strip)
                .filter(s -> !s.isEmpty())
                .toList();
        if (publicBaseUrl != null) {
            String text = publicBaseUrl.toString();
            if (text.isBlank()) {
                publicBaseUrl = null;
            } else if (publicBaseUrl.getHost() == null
                    || !("http".equals(publicBaseUrl.getScheme()) || "https".equals(publicBaseUrl.getScheme()))
                    || publicBaseUrl.getRawQuery() != null) {
                throw new IllegalArgumentException(
                        "RELAY_PUBLIC_BASE_URL must be an http(s) URL without a query, e.g. https://crm.example.com");
            } else if (text.endsWith("/")) {
                publicBaseUrl = URI.create(text.substring(0, text.length() - 1));
            }
        }
    }

    /** {@code path} (with its query) as clients should follow it: under the public base URL, or relative. */
    public String link(String pathAndQuery) {
        return publicBaseUrl == null ? pathAndQuery : publicBaseUrl + pathAndQuery;
    }
}

package com.relaycrm.integrations.pipedrive;

import java.net.URI;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Pipedrive transport settings. {@code PIPEDRIVE_API_URL} overrides the per-company default
 * {@code https://<company>.pipedrive.com/api}; credentials come from whoever uses the client.
 */
@ConfigurationProperties("pipedrive")
public record PipedriveProperties(
        String apiUrl,
        @DefaultValue("PT5S") Duration connectTimeout,
        @DefaultValue("PT20S") Duration readTimeout) {

    public PipedriveProperties {
        if (apiUrl != null && apiUrl.isBlank()) {
            apiUrl = null;
        }
        if (apiUrl != null) {
            URI parsed;
            try {
                parsed = URI.create(apiUrl.strip());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("PIPEDRIVE_API_URL '" + apiUrl + "' is not a URL");
            }
            if (parsed.getScheme() == null || !parsed.getScheme().matches("https?") || parsed.getHost() == null) {
                throw new IllegalArgumentException("PIPEDRIVE_API_URL '" + apiUrl + "' must be an http(s) URL");
            }
            apiUrl = apiUrl.strip().replaceAll("/+$", "");
        }
    }
}

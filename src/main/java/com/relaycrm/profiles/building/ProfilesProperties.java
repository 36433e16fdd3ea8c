package com.relaycrm.profiles.building;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Profile settings; environment variables {@code RELAY_PROFILES_CACHE_TTL} (how long a provider's answer is served
 * from PostgreSQL, default 10 minutes) and {@code RELAY_PROFILES_PROVIDER_TIMEOUT} (the most one provider's whole
 * fetch may take before it counts as timed out).
 */
@ConfigurationProperties("relay.profiles")
public record ProfilesProperties(
        @DefaultValue("10m") Duration cacheTtl,
        @DefaultValue("25s") Duration providerTimeout) {

    public ProfilesProperties {
        if (cacheTtl.isNegative()) {
            throw new IllegalArgumentException("RELAY_PROFILES_CACHE_TTL must not be negative");
        }
        if (providerTimeout.isNegative() || providerTimeout.isZero()) {
            throw new IllegalArgumentException("RELAY_PROFILES_PROVIDER_TIMEOUT must be positive");
        }
    }
}

package com.relaycrm.gistwatch.watching;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Relay's own gist-watch settings ({@code RELAY_GISTWATCH_*}).
 *
 * @param sessionTtl        /getGists sessions idle longer than this are forgotten and purged
 * @param firstScanDelay    delay before a newly watched user's first scheduled scan
 * @param scanConcurrency   users scanned at once by a manual full scan
 * @param dealSyncInterval  how often the outbox is drained
 * @param dealSyncBatch     gists claimed per drain
 * @param dealLease         how long a claimed gist is reserved for one worker
 * @param retryBackoff      first retry delay after a 5xx/timeout, doubled per failure
 * @param retryBackoffMax   retry delay cap
 * @param sessionPurgeInterval how often expired sessions are deleted
 */
@ConfigurationProperties("relay.gistwatch")
public record GistwatchProperties(
        @DefaultValue("P30D") Duration sessionTtl,
        @DefaultValue("PT0S") Duration firstScanDelay,
        @DefaultValue("20") int scanConcurrency,
        @DefaultValue("PT10S") Duration dealSyncInterval,
        @DefaultValue("50") int dealSyncBatch,
        @DefaultValue("PT2M") Duration dealLease,
        @DefaultValue("PT30S") Duration retryBackoff,
        @DefaultValue("PT1H") Duration retryBackoffMax,
        @DefaultValue("PT1H") Duration sessionPurgeInterval) {

    public GistwatchProperties {
        if (sessionTtl.isNegative() || sessionTtl.isZero()) {
            throw new IllegalArgumentException("relay.gistwatch.session-ttl must be positive");
        }
        if (scanConcurrency < 1 || scanConcurrency > 100) {
            throw new IllegalArgumentException("relay.gistwatch.scan-concurrency must be 1-100");
        }
        if (dealSyncBatch < 1 || dealSyncBatch > 1000) {
            throw new IllegalArgumentException("relay.gistwatch.deal-sync-batch must be 1-1000");
        }
        if (dealSyncInterval.isNegative() || dealSyncInterval.isZero()) {
            throw new IllegalArgumentException("relay.gistwatch.deal-sync-interval must be positive");
        }
        if (sessionPurgeInterval.isNegative() || sessionPurgeInterval.isZero()) {
            throw new IllegalArgumentException("relay.gistwatch.session-purge-interval must be positive");
        }
    }
}

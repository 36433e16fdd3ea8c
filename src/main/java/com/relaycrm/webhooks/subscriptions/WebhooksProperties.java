package com.relaycrm.webhooks.subscriptions;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Webhook settings ({@code RELAY_WEBHOOKS_*}).
 *
 * @param allowPrivate lets subscriptions reach loopback, private, link-local and metadata addresses (tests,
 *     on-premise receivers); off by default, against server-side request forgery
 * @param timeout how long a receiver may take to answer (connect and response)
 * @param initialBackoff the wait after the first failed attempt
 * @param backoffMultiplier how much each further wait grows
 * @param maxBackoff the longest wait between two attempts
 * @param maxAttempts attempts of one delivery before it is given up
 * @param disableAfter a subscription whose deliveries failed for this long without a success is disabled
 * @param previousSecretValidity how long a rotated-out secret still signs deliveries
 * @param pollInterval how often an idle subscription looks for due deliveries
 * @param keeperInterval how often every enabled subscription's delivery job is checked to exist
 * @param concurrency deliveries of one subscription in flight at once (each to a different resource)
 * @param batchSize deliveries one subscription's job takes at a time
 * @param maxRun how long one run of a subscription's job may keep sending before it yields its thread (the next run
 *     starts at the scheduler's next poll, up to {@code RELAY_JOBS_POLLING_INTERVAL} later, so each yield is a pause
 *     in a busy stream: 10 minutes keeps those pauses out of the p99)
 * @param linger how long a subscription's job keeps watching for new deliveries after it sent one (holding one job
 *     thread), so a busy subscription's events leave within milliseconds of their commit
 * @param gather how long a job waits after a batch that was not full before reading the next one, so a steady stream
 *     of events is read and recorded in batches rather than a few rows per round of queries
 * @param retention how long the delivery log keeps a finished (succeeded or given up) delivery
 */
@ConfigurationProperties("relay.webhooks")
public record WebhooksProperties(
        @DefaultValue("false") boolean allowPrivate,
        @DefaultValue("10s") Duration timeout,
        @DefaultValue("5s") Duration initialBackoff,
        @DefaultValue("6") double backoffMultiplier,
        @DefaultValue("10h") Duration maxBackoff,
        @DefaultValue("8") int maxAttempts,
        @DefaultValue("24h") Duration disableAfter,
        @DefaultValue("24h") Duration previousSecretValidity,
        @DefaultValue("1s") Duration pollInterval,
        @DefaultValue("1m") Duration keeperInterval,
        @DefaultValue("16") int concurrency,
        @DefaultValue("100") int batchSize,
        @DefaultValue("10m") Duration maxRun,
        @DefaultValue("3s") Duration linger,
        @DefaultValue("100ms") Duration gather,
        @DefaultValue("30d") Duration retention) {

    public WebhooksProperties {
        positive(timeout, "RELAY_WEBHOOKS_TIMEOUT");
        positive(initialBackoff, "RELAY_WEBHOOKS_INITIAL_BACKOFF");
        positive(maxBackoff, "RELAY_WEBHOOKS_MAX_BACKOFF");
        positive(disableAfter, "RELAY_WEBHOOKS_DISABLE_AFTER");
        positive(previousSecretValidity, "RELAY_WEBHOOKS_PREVIOUS_SECRET_VALIDITY");
        positive(pollInterval, "RELAY_WEBHOOKS_POLL_INTERVAL");
        positive(keeperInterval, "RELAY_WEBHOOKS_KEEPER_INTERVAL");
        positive(maxRun, "RELAY_WEBHOOKS_MAX_RUN");
        positive(retention, "RELAY_WEBHOOKS_RETENTION");
        if (gather.isNegative() || gather.compareTo(Duration.ofSeconds(5)) > 0) {
            throw new IllegalArgumentException("RELAY_WEBHOOKS_GATHER must be 0-5 s");
        }
        if (linger.isNegative()) {
            throw new IllegalArgumentException("RELAY_WEBHOOKS_LINGER must not be negative");
        }
        if (!(backoffMultiplier >= 1.0)) {
            throw new IllegalArgumentException("RELAY_WEBHOOKS_BACKOFF_MULTIPLIER must be at least 1");
        }
        if (maxAttempts < 1 || maxAttempts > 100) {
            throw new IllegalArgumentException("RELAY_WEBHOOKS_MAX_ATTEMPTS must be 1-100");
        }
        if (concurrency < 1 || concurrency > 256) {
            throw new IllegalArgumentException("RELAY_WEBHOOKS_CONCURRENCY must be 1-256");
        }
        if (batchSize < 1 || batchSize > 10_000) {
            throw new IllegalArgumentException("RELAY_WEBHOOKS_BATCH_SIZE must be 1-10000");
        }
    }

    private static void positive(Duration value, String variable) {
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(variable + " must be a positive duration");
        }
    }

    /** The wait before attempt {@code failedAttempts + 1}, without jitter. */
    Duration backoff(int failedAttempts) {
        double millis = initialBackoff.toMillis() * Math.pow(backoffMultiplier, Math.max(0, failedAttempts - 1));
        return millis >= maxBackoff.toMillis() ? maxBackoff : Duration.ofMillis((long) millis);
    }
}

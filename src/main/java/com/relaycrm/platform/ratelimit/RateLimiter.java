package com.relaycrm.platform.ratelimit;

import com.relaycrm.platform.RequestBudget;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.distributed.BucketProxy;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.jdbc.PrimaryKeyMapper;
import io.github.bucket4j.distributed.proxy.optimization.DelayParameters;
import io.github.bucket4j.distributed.proxy.optimization.Optimizations;
import io.github.bucket4j.postgresql.Bucket4jPostgreSQL;
import io.github.bucket4j.postgresql.PostgreSQLSelectForUpdateBasedProxyManager;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.springframework.http.server.PathContainer;
import org.springframework.stereotype.Component;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * Token buckets kept in PostgreSQL through Bucket4j, so every instance draws from the same budget. Each instance
 * consumes locally and synchronises at most every {@code syncInterval} or {@code maxUnsyncedTokens}, which keeps the
 * database off the hot path at the price of a small, bounded overshoot.
 */
@Component
class RateLimiter implements RequestBudget {

    record Decision(
            boolean allowed, String group, long limit, long remaining, long resetSeconds, long retryAfterSeconds) {}

    private static final int MAX_LOCAL_BUCKETS = 50_000;

    private final RateLimitProperties properties;
    private final PostgreSQLSelectForUpdateBasedProxyManager<String> buckets;
    private final Map<String, BucketProxy> local = new ConcurrentHashMap<>();
    private final Map<String, PathPattern[]> patterns = new ConcurrentHashMap<>();

    RateLimiter(RateLimitProperties properties, DataSource dataSource) {
        this.properties = properties;
        this.buckets = Bucket4jPostgreSQL.selectForUpdateBasedBuilder(dataSource)
                .primaryKeyMapper(PrimaryKeyMapper.STRING)
                .table("platform_rate_bucket")
                .idColumn("id")
                .stateColumn("state")
                .expiresAtColumn("expires_at")
                .expirationAfterWrite(
                        ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(Duration.ofMinutes(5)))
                .build();
        properties
                .groups()
                .forEach((name, group) -> patterns.put(
                        name,
                        group.paths().stream()
                                .map(PathPatternParser.defaultInstance::parse)
                                .toArray(PathPattern[]::new)));
    }

    @Override
    public boolean enabled() {
        return properties.enabled();
    }

    @Override
    public Charge chargeToken(long tokenId, String apiPath) {
        return charge(consume(RateLimitFilter.tokenKey(tokenId), groupFor(apiPath)));
    }

    @Override
    public Charge chargeAddress(String remoteAddress, String apiPath) {
        return charge(consume(RateLimitFilter.addressKey(remoteAddress), groupFor(apiPath)));
    }

    @Override
    public Charge chargeAuthFailure(String remoteAddress) {
        return charge(consume(RateLimitFilter.addressKey(remoteAddress), RateLimitProperties.AUTH_FAILURE));
    }

    private static Charge charge(Decision decision) {
        return new Charge(
                decision.allowed(),
                decision.group(),
                decision.limit(),
                decision.remaining(),
                decision.resetSeconds(),
                decision.retryAfterSeconds());
    }

    String groupFor(String path) {
        PathContainer container = PathContainer.parsePath(path);
        for (var entry : patterns.entrySet()) {
            for (PathPattern pattern : entry.getValue()) {
                if (pattern.matches(container)) {
                    return entry.getKey();
                }
            }
        }
        return "default";
    }

    Decision consume(String caller, String group) {
        RateLimitProperties.Group limits = properties.groups().get(group);
        if (limits == null) {
            throw new IllegalArgumentException("unknown rate-limit group " + group);
        }
        ConsumptionProbe probe = bucket(caller, group, limits).tryConsumeAndReturnRemaining(1);
        long resetSeconds = Math.max(1, ceilSeconds(probe.getNanosToWaitForReset()));
        return new Decision(
                probe.isConsumed(),
                group,
                limits.capacity(),
                probe.getRemainingTokens(),
                resetSeconds,
                probe.isConsumed() ? 0 : Math.max(1, ceilSeconds(probe.getNanosToWaitForRefill())));
    }

    Map<String, Decision> usage(String caller) {
        Map<String, Decision> usage = new java.util.LinkedHashMap<>();
        properties.groups().forEach((group, limits) -> {
            BucketProxy bucket = bucket(caller, group, limits);
            long available = bucket.getAvailableTokens();
            long missing = limits.capacity() - available;
            long resetSeconds = missing <= 0 ? 0 : ceilSeconds(limits.period().toNanos() / limits.capacity() * missing);
            usage.put(group, new Decision(available > 0, group, limits.capacity(), available, resetSeconds, 0));
        });
        return usage;
    }

    int removeExpired() {
        int removed = 0;
        int batch;
        do {
            batch = buckets.removeExpired(1000);
            removed += batch;
        } while (batch == 1000);
        return removed;
    }

    private BucketProxy bucket(String caller, String group, RateLimitProperties.Group limits) {
        if (local.size() > MAX_LOCAL_BUCKETS) {
            local.clear();
        }
        String key = group + ":" + caller;
        return local.computeIfAbsent(key, k -> {
            var builder = buckets.builder();
            // Small budgets are synchronised on every request so their limit holds exactly.
            long unsynced = Math.min(properties.maxUnsyncedTokens(), limits.capacity() / 20);
            if (unsynced > 0) {
                builder = builder.withOptimization(
                        Optimizations.delaying(new DelayParameters(unsynced, properties.syncInterval())));
            }
            return builder.build(
                    k,
                    () -> BucketConfiguration.builder()
                            .addLimit(Bandwidth.builder()
                                    .capacity(limits.capacity())
                                    .refillGreedy(limits.capacity(), limits.period())
                                    .build())
                            .build());
        });
    }

    private static long ceilSeconds(long nanos) {
        return (nanos + 999_999_999L) / 1_000_000_000L;
    }
}

package com.relaycrm.gistwatch.deals;

import com.relaycrm.gistwatch.GistDealCreated;
import com.relaycrm.gistwatch.watching.GistwatchProperties;
import com.relaycrm.integrations.PipedriveAccount;
import com.relaycrm.integrations.PipedriveClient;
import com.relaycrm.integrations.PipedriveFailure;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Drains the deal-sync outbox: each pending gist becomes one Pipedrive deal. A gist is leased to one worker at a
 * time; when an earlier lease may have reached Pipedrive (a crash between its answer and our commit), the deal is
 * searched for by the gist id before anything is created, so a gist never gets a second deal.
 */
@Service
public class DealSync {

    private static final Logger log = LoggerFactory.getLogger(DealSync.class);

    private final JdbcClient jdbc;
    private final PipedriveConnection connection;
    private final PipedriveClient pipedrive;
    private final Organizations organizations;
    private final PipedriveState state;
    private final GistwatchProperties properties;
    private final Clock clock;
    private final TransactionTemplate transactions;
    private final ApplicationEventPublisher events;

    DealSync(
            JdbcClient jdbc,
            PipedriveConnection connection,
            PipedriveClient pipedrive,
            Organizations organizations,
            PipedriveState state,
            GistwatchProperties properties,
            Clock clock,
            TransactionTemplate transactions,
            ApplicationEventPublisher events) {
        this.transactions = transactions;
        this.events = events;
        this.jdbc = jdbc;
        this.connection = connection;
        this.pipedrive = pipedrive;
        this.organizations = organizations;
        this.state = state;
        this.properties = properties;
        this.clock = clock;
    }

    /** What one drain did. {@code stopped} names why it ended early (disabled, unauthorized, rate_limited ...). */
    public record Run(
            int synced, int failed, int retrying, @Nullable String stopped) {}

    record Claimed(String gistId, String login, String description, String firstFile, int claims) {}

    boolean enabled() {
        return connection.account().isPresent();
    }

    public Run drain() {
        Optional<PipedriveAccount> configured = connection.account();
        if (configured.isEmpty()) {
            return new Run(0, 0, 0, "disabled");
        }
        PipedriveAccount account = configured.get();
        PipedriveState.Snapshot snapshot = state.read();
        if (snapshot.unauthorizedKey() != null) {
            if (snapshot.unauthorizedKey().equals(account.keyFingerprint())) {
                return new Run(0, 0, 0, "unauthorized");
            }
            log.info("The Pipedrive API key changed since Pipedrive rejected it; resuming deal sync");
            state.clearUnauthorized();
        }
        if (snapshot.pausedUntil() != null && snapshot.pausedUntil().toInstant().isAfter(clock.instant())) {
            return new Run(0, 0, 0, "rate_limited");
        }
        int synced = 0;
        int failed = 0;
        int retrying = 0;
        while (true) {
            List<Claimed> batch = claim();
            if (batch.isEmpty()) {
                return new Run(synced, failed, retrying, null);
            }
            for (int i = 0; i < batch.size(); i++) {
                Claimed gist = batch.get(i);
                try {
                    sync(account, gist);
                    synced++;
                } catch (PipedriveFailure failure) {
                    switch (failure.kind()) {
                        case REJECTED -> {
                            markFailed(gist, reason(failure));
                            failed++;
                        }
                        case UNAUTHORIZED -> {
                            log.error("Pipedrive rejected the API key (401); deal sync stops until the key changes");
                            state.unauthorized(account.keyFingerprint(), reason(failure));
                            release(batch.subList(i, batch.size()), clock.instant());
                            return new Run(synced, failed, retrying, "unauthorized");
                        }
                        case RATE_LIMITED -> {
                            Instant until = clock.instant().plus(failure.retryAfter());
                            log.warn("Pipedrive rate limit (429); no calls until {}", until);
                            state.pauseUntil(until, reason(failure));
                            release(batch.subList(i, batch.size()), until);
                            return new Run(synced, failed, retrying, "rate_limited");
                        }
                        case TRANSIENT -> {
                            Instant next = clock.instant().plus(backoff(gist.claims()));
                            log.warn(
                                    "Deal for gist {} not synced ({}); retrying after {}",
                                    gist.gistId(),
                                    reason(failure),
                                    next);
                            state.failing(reason(failure));
                            retryLater(gist, next, reason(failure));
                            // Pipedrive is struggling: leave the rest of the batch for the next drain.
                            release(batch.subList(i + 1, batch.size()), clock.instant());
                            return new Run(synced, failed, retrying + 1, "failing");
                        }
                    }
                } catch (RuntimeException e) {
                    log.error("Deal sync of gist {} failed unexpectedly", gist.gistId(), e);
                    retryLater(
                            gist,
                            clock.instant().plus(backoff(gist.claims())),
                            "unexpected: " + e.getClass().getSimpleName());
                    release(batch.subList(i + 1, batch.size()), clock.instant());
                    return new Run(synced, failed, retrying + 1, "failing");
                }
            }
        }
    }

    private void sync(PipedriveAccount account, Claimed gist) {
        long orgId = organizations.resolve(account, gist.login());
        String marker = DealTitles.marker(gist.gistId());
        PipedriveClient.Deal deal = null;
        if (gist.claims() > 1) {
            // An earlier attempt may have created the deal and died before recording it.
            deal = pipedrive
                    .findDealWithTitleContaining(account, gist.gistId(), marker)
                    .orElse(null);
            if (deal != null) {
                log.info("Deal {} for gist {} already existed in Pipedrive; recording it", deal.id(), gist.gistId());
            }
        }
        if (deal == null) {
            String title = DealTitles.title(gist.login(), gist.description(), gist.firstFile(), gist.gistId());
            deal = pipedrive.createDeal(account, title, orgId);
        }
        PipedriveClient.Deal created = deal;
        long org = created.orgId() == null ? orgId : created.orgId();
        transactions.executeWithoutResult(status -> {
            int recorded = jdbc.sql("""
                    UPDATE gistwatch_deal_sync SET status = 'synced', deal_id = :deal, org_id = :org, lease_until = NULL,
                        last_error = NULL, updated_at = :now
                    WHERE gist_id = :id""")
                    .param("deal", created.id())
                    .param("org", org)
                    .param("now", now())
                    .param("id", gist.gistId())
                    .update();
            if (recorded == 1) {
                Map<String, Object> data = new LinkedHashMap<>();
                data.put("gist_id", gist.gistId());
                data.put("login", gist.login());
                data.put("description", gist.description());
                data.put("deal_id", created.id());
                data.put("org_id", org);
                events.publishEvent(new GistDealCreated(gist.gistId(), created.id(), data));
            }
        });
        state.succeeded();
    }

    /** Leases up to a batch of due gists to this worker; another worker skips them until the lease ends. */
    private List<Claimed> claim() {
        OffsetDateTime now = now();
        return jdbc
                .sql("""
                WITH due AS (
                    SELECT gist_id FROM gistwatch_deal_sync
                    WHERE status = 'pending' AND next_attempt_at <= :now AND (lease_until IS NULL OR lease_until < :now)
                    ORDER BY next_attempt_at, gist_id
                    LIMIT :limit
                    FOR UPDATE SKIP LOCKED)
                UPDATE gistwatch_deal_sync s SET lease_until = :lease, claims = s.claims + 1, updated_at = :now
                FROM due, gistwatch_gist g
                WHERE s.gist_id = due.gist_id AND g.id = s.gist_id
                RETURNING s.gist_id, g.login, g.description, g.files -> 0 ->> 'filename' AS first_file, s.claims,
                    g.seq""")
                .param("now", now)
                .param("limit", properties.dealSyncBatch())
                .param("lease", now.plus(properties.dealLease()))
                .query((rs, row) -> new Claimed(
                        rs.getString("gist_id"),
                        rs.getString("login"),
                        rs.getString("description"),
                        rs.getString("first_file"),
                        rs.getInt("claims")))
                .list()
                .stream()
                .sorted(java.util.Comparator.comparing(Claimed::gistId))
                .toList();
    }

    /** Gives claimed but untried gists back, without counting an attempt. */
    private void release(List<Claimed> gists, Instant nextAttempt) {
        if (gists.isEmpty()) {
            return;
        }
        jdbc.sql("""
                UPDATE gistwatch_deal_sync SET lease_until = NULL, claims = claims - 1,
                    next_attempt_at = greatest(next_attempt_at, :next), updated_at = :now
                WHERE gist_id = ANY(:ids) AND status = 'pending'""")
                .param("next", OffsetDateTime.ofInstant(nextAttempt, clock.getZone()))
                .param("now", now())
                .param("ids", gists.stream().map(Claimed::gistId).toArray(String[]::new))
                .update();
    }

    private void retryLater(Claimed gist, Instant next, String error) {
        jdbc.sql("""
                UPDATE gistwatch_deal_sync SET lease_until = NULL, failures = failures + 1, next_attempt_at = :next,
                    last_error = :error, updated_at = :now
                WHERE gist_id = :id AND status = 'pending'""")
                .param("next", OffsetDateTime.ofInstant(next, clock.getZone()))
                .param("error", error)
                .param("now", now())
                .param("id", gist.gistId())
                .update();
    }

    private void markFailed(Claimed gist, String error) {
        log.warn("Pipedrive refused the deal for gist {}: {}", gist.gistId(), error);
        jdbc.sql("""
                UPDATE gistwatch_deal_sync SET status = 'failed', lease_until = NULL, failures = failures + 1,
                    last_error = :error, updated_at = :now
                WHERE gist_id = :id""")
                .param("error", error)
                .param("now", now())
                .param("id", gist.gistId())
                .update();
    }

    /** Exponential from the configured base, capped. */
    Duration backoff(int attempt) {
        Duration base = properties.retryBackoff();
        int exponent = Math.clamp(attempt - 1, 0, 20);
        Duration delay = base.multipliedBy(1L << exponent);
        return delay.compareTo(properties.retryBackoffMax()) > 0 ? properties.retryBackoffMax() : delay;
    }

    /** Puts a failed gist back in the queue; false when the gist has no failed sync. */
    public Optional<String> retry(String gistId) {
        Optional<String> status = jdbc.sql("SELECT status FROM gistwatch_deal_sync WHERE gist_id = :id")
                .param("id", gistId)
                .query(String.class)
                .optional();
        if (status.isEmpty() || !status.get().equals("failed")) {
            return status;
        }
        jdbc.sql("""
                UPDATE gistwatch_deal_sync SET status = 'pending', next_attempt_at = :now, lease_until = NULL,
                    updated_at = :now
                WHERE gist_id = :id AND status = 'failed'""").param("now", now()).param("id", gistId).update();
        return Optional.of("pending");
    }

    /** A gist with its deal-sync state, for operators. */
    public record GistSync(
            String id,
            String login,
            String description,
            String htmlUrl,
            java.time.@Nullable Instant createdAt,
            java.time.Instant firstSeenAt,
            @Nullable Long dealId,
            @Nullable Long orgId,
            String syncStatus,
            @Nullable String syncError,
            int syncFailures,
            java.time.@Nullable Instant nextAttemptAt) {}

    private static final String GIST_SYNC_SELECT = """
            SELECT g.id, g.login, g.description, g.html_url, g.created_at, g.first_seen_at, s.deal_id, s.org_id,
                   s.status, s.last_error, s.failures, s.next_attempt_at
            FROM gistwatch_gist g JOIN gistwatch_deal_sync s ON s.gist_id = g.id""";

    public Optional<GistSync> find(String gistId) {
        return jdbc.sql(GIST_SYNC_SELECT + " WHERE g.id = :id")
                .param("id", gistId)
                .query(DealSync::gistSync)
                .optional();
    }

    public List<GistSync> list(@Nullable String status, int limit) {
        return jdbc.sql(GIST_SYNC_SELECT + " WHERE (:status = '' OR s.status = :status) ORDER BY g.seq LIMIT :limit")
                .param("status", status == null ? "" : status)
                .param("limit", limit)
                .query(DealSync::gistSync)
                .list();
    }

    /** The most recently stored gists first. */
    public List<GistSync> recent(int limit) {
        return jdbc.sql(GIST_SYNC_SELECT + " ORDER BY g.seq DESC LIMIT :limit")
                .param("limit", limit)
                .query(DealSync::gistSync)
                .list();
    }

    private static GistSync gistSync(java.sql.ResultSet rs, int row) throws java.sql.SQLException {
        long deal = rs.getLong("deal_id");
        Long dealId = rs.wasNull() ? null : deal;
        long org = rs.getLong("org_id");
        Long orgId = rs.wasNull() ? null : org;
        OffsetDateTime created = rs.getObject("created_at", OffsetDateTime.class);
        String status = rs.getString("status");
        return new GistSync(
                rs.getString("id"),
                rs.getString("login"),
                rs.getString("description"),
                rs.getString("html_url"),
                created == null ? null : created.toInstant(),
                rs.getObject("first_seen_at", OffsetDateTime.class).toInstant(),
                dealId,
                orgId,
                status,
                rs.getString("last_error"),
                rs.getInt("failures"),
                "pending".equals(status)
                        ? Objects.requireNonNull(rs.getObject("next_attempt_at", OffsetDateTime.class))
                                .toInstant()
                        : null);
    }

    /** Exceptions may carry no message; the stored error then names the exception type. */
    private static String reason(Throwable failure) {
        return Objects.requireNonNullElse(
                failure.getMessage(), failure.getClass().getSimpleName());
    }

    record Counts(long pending, long synced, long failed) {}

    Counts counts() {
        return jdbc.sql("""
                SELECT count(*) FILTER (WHERE status = 'pending') AS pending,
                       count(*) FILTER (WHERE status = 'synced') AS synced,
                       count(*) FILTER (WHERE status = 'failed') AS failed
                FROM gistwatch_deal_sync""")
                .query((rs, row) -> new Counts(rs.getLong("pending"), rs.getLong("synced"), rs.getLong("failed")))
                .single();
    }

    private OffsetDateTime now() {
        return OffsetDateTime.now(clock);
    }
}

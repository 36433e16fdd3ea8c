package com.relaycrm.profiles.building;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Per (provider, name) answers in PostgreSQL with a TTL. A fetch needs a lease on the row ({@code lease_owner},
 * {@code lease_until}), taken by one atomic upsert, so concurrent identical requests on any instance cause one
 * upstream fetch: the others wait for the row's {@code fetched_at} to move past the moment they asked. Within one
 * instance waiters share the fetching request's future instead of polling. No database connection is held while
 * the upstream is called.
 */
@Component
class ProviderCache {

    private static final long POLL_MILLIS = 25;

    private final JdbcClient jdbc;
    private final Clock clock;
    private final ProfilesProperties properties;
    private final ConcurrentMap<String, CompletableFuture<ProviderOutcome>> inFlight = new ConcurrentHashMap<>();

    ProviderCache(JdbcClient jdbc, Clock clock, ProfilesProperties properties) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.properties = properties;
    }

    /**
     * @param refresh ignore a fresh row (but share a fetch that finishes after this call began)
     * @param needCommits a GitHub row without a commit count does not satisfy this request
     * @param fetch calls the upstream; never throws, failures come back as outcomes
     */
    ProviderOutcome obtain(
            Provider provider, String name, boolean refresh, boolean needCommits, Supplier<ProviderOutcome> fetch) {
        String key = provider.key() + "\u0000" + name + "\u0000" + refresh + "\u0000" + needCommits;
        CompletableFuture<ProviderOutcome> mine = new CompletableFuture<>();
        CompletableFuture<ProviderOutcome> running = inFlight.putIfAbsent(key, mine);
        if (running != null) {
            return join(running);
        }
        try {
            ProviderOutcome outcome = obtainShared(provider, name, refresh, needCommits, fetch);
            mine.complete(outcome);
            return outcome;
        } catch (RuntimeException | Error e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            inFlight.remove(key, mine);
        }
    }

    /**
     * Both providers' answers when both are fresh, read in one query without their payloads (see {@link #payload});
     * {@code remembered} says whether the merged profile for these names and options is stored already. Empty when
     * either must be fetched.
     */
    record FreshPair(ProviderOutcome github, ProviderOutcome bitbucket, boolean remembered) {}

    Optional<FreshPair> freshPair(String github, String bitbucket, boolean needCommits, boolean includeForks) {
        Instant now = clock.instant();
        java.util.Map<String, Row> rows = new java.util.HashMap<>();
        boolean[] remembered = {false};
        jdbc.sql("""
                        select s.provider, s.status, null as payload, s.detail, s.retry_at, s.fetched_at,
                               s.expires_at, s.payload ->> 'commits_count' is not null as has_commits,
                               exists (select 1 from profiles_merged_profile m
                                        where m.github_name = :github and m.bitbucket_name = :bitbucket
                                          and m.include_forks = :forks and m.include_commits = :commits) as remembered
                          from profiles_provider_snapshot s
                         where (s.provider = 'github' and s.name = :github)
                            or (s.provider = 'bitbucket' and s.name = :bitbucket)
                        """)
                .param("github", github)
                .param("bitbucket", bitbucket)
                .param("forks", includeForks)
                .param("commits", needCommits)
                .query(rs -> {
                    remembered[0] = rs.getBoolean("remembered");
                    rows.put(rs.getString("provider"), row(rs));
                });
        Row gh = rows.get(Provider.GITHUB.key());
        Row bb = rows.get(Provider.BITBUCKET.key());
        Instant never = Instant.MAX;
        if (gh == null
                || bb == null
                || !gh.serves(never, now, false, needCommits)
                || !bb.serves(never, now, false, false)) {
            return Optional.empty();
        }
        return Optional.of(new FreshPair(gh.outcome().fromCache(), bb.outcome().fromCache(), remembered[0]));
    }

    /** The stored payload of a provider's answer. */
    Optional<String> payload(Provider provider, String name) {
        return jdbc.sql("select payload::text from profiles_provider_snapshot"
                        + " where provider = :provider and name = :name and payload is not null")
                .param("provider", provider.key())
                .param("name", name)
                .query(String.class)
                .optional();
    }

    private ProviderOutcome obtainShared(
            Provider provider, String name, boolean refresh, boolean needCommits, Supplier<ProviderOutcome> fetch) {
        Instant asked = clock.instant();
        Instant giveUp = asked.plus(properties.providerTimeout()).plusSeconds(10);
        while (true) {
            Instant now = clock.instant();
            Optional<Row> row = read(provider, name);
            if (row.isPresent() && row.get().serves(asked, now, refresh, needCommits)) {
                return row.get().outcome().fromCache();
            }
            UUID me = UUID.randomUUID();
            if (lease(provider, name, me, asked, now, refresh, needCommits)) {
                ProviderOutcome fetched;
                try {
                    fetched = fetch.get();
                } catch (RuntimeException | Error e) {
                    release(provider, name, me);
                    throw e;
                }
                store(provider, name, me, fetched);
                return fetched;
            }
            if (now.isAfter(giveUp)) {
                return ProviderOutcome.failed(
                        SourceStatus.TIMEOUT, "Another request's fetch did not finish in time", null, now);
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return ProviderOutcome.failed(SourceStatus.TIMEOUT, "Interrupted while waiting", null, now);
            }
        }
    }

    private record Row(
            @Nullable SourceStatus status,
            @Nullable String payload,
            @Nullable String detail,
            @Nullable Instant retryAt,
            @Nullable Instant fetchedAt,
            @Nullable Instant expiresAt,
            boolean hasCommits) {

        boolean serves(Instant asked, Instant now, boolean refresh, boolean needCommits) {
            if (status == null || fetchedAt == null) {
                return false;
            }
            boolean commitsOk = !needCommits || status != SourceStatus.OK || hasCommits;
            if (!fetchedAt.isBefore(asked)) {
                return commitsOk; // a fetch that finished after this request began, whatever its result
            }
            return !refresh && status.cacheable() && expiresAt != null && expiresAt.isAfter(now) && commitsOk;
        }

        ProviderOutcome outcome() {
            return new ProviderOutcome(
                    java.util.Objects.requireNonNull(status), payload, detail, retryAt, fetchedAt, false);
        }
    }

    private Optional<Row> read(Provider provider, String name) {
        return jdbc.sql("""
                        select status, payload::text as payload, detail, retry_at, fetched_at, expires_at,
                               payload ->> 'commits_count' is not null as has_commits
                          from profiles_provider_snapshot where provider = :provider and name = :name
                        """)
                .param("provider", provider.key())
                .param("name", name)
                .query((rs, i) -> row(rs))
                .optional();
    }

    /** Takes the fetch lease unless another request holds it or has fetched since this one asked. */
    private boolean lease(
            Provider provider, String name, UUID me, Instant asked, Instant now, boolean refresh, boolean needCommits) {
        return jdbc.sql("""
                        insert into profiles_provider_snapshot as s (provider, name, lease_owner, lease_until)
                        values (:provider, :name, :me, :until)
                        on conflict (provider, name) do update
                           set lease_owner = excluded.lease_owner, lease_until = excluded.lease_until
                         where (s.lease_until is null or s.lease_until < :now)
                           and (s.fetched_at is null or s.fetched_at < :asked)
                           and (:refresh or s.status is null or s.status not in ('ok', 'not_found')
                                or s.expires_at <= :now
                                or (:need_commits and s.status = 'ok' and s.payload ->> 'commits_count' is null))
                        returning lease_owner
                        """)
                .param("provider", provider.key())
                .param("name", name)
                .param("me", me)
                .param(
                        "until",
                        Timestamp.from(now.plus(properties.providerTimeout()).plusSeconds(10)))
                .param("now", Timestamp.from(now))
                .param("asked", Timestamp.from(asked))
                .param("refresh", refresh)
                .param("need_commits", needCommits)
                .query(UUID.class)
                .optional()
                .isPresent();
    }

    /** A failure keeps the last good payload: it is only read for an OK status, and never vanishes mid-request. */
    private void store(Provider provider, String name, UUID me, ProviderOutcome outcome) {
        Instant at = clock.instant();
        Instant expires = outcome.status().cacheable() ? at.plus(properties.cacheTtl()) : at;
        jdbc.sql("""
                        update profiles_provider_snapshot
                           set status = :status, payload = coalesce(cast(:payload as jsonb), payload), detail = :detail,
                               retry_at = :retry_at, fetched_at = :at, expires_at = :expires,
                               lease_owner = null, lease_until = null
                         where provider = :provider and name = :name and lease_owner = :me
                        """)
                .param("status", outcome.status().column())
                .param("payload", outcome.payload())
                .param("detail", outcome.detail())
                .param("retry_at", outcome.retryAt() == null ? null : Timestamp.from(outcome.retryAt()))
                .param("at", Timestamp.from(at))
                .param("expires", Timestamp.from(expires))
                .param("provider", provider.key())
                .param("name", name)
                .param("me", me)
                .update();
    }

    private void release(Provider provider, String name, UUID me) {
        jdbc.sql("""
                        update profiles_provider_snapshot set lease_owner = null, lease_until = null
                         where provider = :provider and name = :name and lease_owner = :me
                        """)
                .param("provider", provider.key())
                .param("name", name)
                .param("me", me)
                .update();
    }

    private static Row row(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new Row(
                rs.getString("status") == null ? null : SourceStatus.ofColumn(rs.getString("status")),
                rs.getString("payload"),
                rs.getString("detail"),
                instant(rs.getTimestamp("retry_at")),
                instant(rs.getTimestamp("fetched_at")),
                instant(rs.getTimestamp("expires_at")),
                rs.getBoolean("has_commits"));
    }

    private static @Nullable Instant instant(@Nullable Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }

    private ProviderOutcome join(CompletableFuture<ProviderOutcome> running) {
        try {
            return running.get().fromCache();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ProviderOutcome.failed(SourceStatus.TIMEOUT, "Interrupted while waiting", null, clock.instant());
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        }
    }
}

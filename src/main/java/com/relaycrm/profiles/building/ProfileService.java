package com.relaycrm.profiles.building;

import com.relaycrm.integrations.BitbucketProfileApi;
import com.relaycrm.integrations.BitbucketProfileData;
import com.relaycrm.integrations.GitHubProfileApi;
import com.relaycrm.integrations.GitHubProfileData;
import com.relaycrm.integrations.ProfileFetchFailure;
import com.relaycrm.platform.RequestAdmission;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** Builds the merged profile: both providers in parallel, each through the PostgreSQL cache. */
@Service
public class ProfileService {

    private static final Logger log = LoggerFactory.getLogger(ProfileService.class);

    private final GitHubProfileApi github;
    private final BitbucketProfileApi bitbucket;
    private final GitHubEtagTable etags;
    private final ProviderCache cache;
    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final Clock clock;
    private final ProfilesProperties properties;
    private final RequestAdmission admission;
    private final Map<String, Parsed> parsed = new ConcurrentHashMap<>();
    private static final int PARSED_LIMIT = 2_000;

    ProfileService(
            GitHubProfileApi github,
            BitbucketProfileApi bitbucket,
            GitHubEtagTable etags,
            ProviderCache cache,
            JdbcClient jdbc,
            JsonMapper json,
            Clock clock,
            ProfilesProperties properties,
            RequestAdmission admission) {
        this.admission = admission;
        this.github = github;
        this.bitbucket = bitbucket;
        this.etags = etags;
        this.cache = cache;
        this.jdbc = jdbc;
        this.json = json;
        this.clock = clock;
        this.properties = properties;
    }

    public AggregateResult aggregate(AggregateCommand command) {
        Map<Provider, ProviderOutcome> outcomes = new EnumMap<>(Provider.class);
        if (!command.refresh()) {
            // the hot path: one query, no threads, no write
            Optional<ProviderCache.FreshPair> fresh = cache.freshPair(
                    command.githubName(), command.bitbucketName(), command.includeCommits(), command.includeForks());
            if (fresh.isPresent()) {
                outcomes.put(Provider.GITHUB, fresh.get().github());
                outcomes.put(Provider.BITBUCKET, fresh.get().bitbucket());
                return answer(command, outcomes, !fresh.get().remembered());
            }
        }
        // The upstream round trips are waits on GitHub and Bitbucket, so the request steps out of the gate for them.
        admission.outside(() -> {
            try (ExecutorService parallel = Executors.newVirtualThreadPerTaskExecutor()) {
                Future<ProviderOutcome> fromGitHub = parallel.submit(() -> cache.obtain(
                        Provider.GITHUB,
                        command.githubName(),
                        command.refresh(),
                        command.includeCommits(),
                        () -> fetchGitHub(command.githubName(), command.includeCommits())));
                Future<ProviderOutcome> fromBitbucket = parallel.submit(() -> cache.obtain(
                        Provider.BITBUCKET,
                        command.bitbucketName(),
                        command.refresh(),
                        false,
                        () -> fetchBitbucket(command.bitbucketName())));
                outcomes.put(Provider.GITHUB, await(fromGitHub));
                outcomes.put(Provider.BITBUCKET, await(fromBitbucket));
            }
            return outcomes;
        });
        return answer(command, outcomes, true);
    }

    /** The last profile built for this name (as the single name, else as either provider's name). */
    public Optional<Map<String, Object>> cached(String name) {
        return jdbc.sql("""
                        select body::text from profiles_merged_profile
                         where github_name = :name or bitbucket_name = :name
                         order by (github_name = :name and bitbucket_name = :name) desc, built_at desc
                         limit 1
                        """)
                .param("name", name)
                .query(String.class)
                .optional()
                .map(body -> json.readValue(body, new TypeReference<Map<String, Object>>() {}));
    }

    private ProviderOutcome fetchGitHub(String name, boolean includeCommits) {
        return withDeadline("GitHub", () -> {
            try {
                GitHubProfileData data = github.fetch(name, includeCommits, etags);
                return new ProviderOutcome(
                        SourceStatus.OK, json.writeValueAsString(data), null, null, clock.instant(), false);
            } catch (ProfileFetchFailure failure) {
                return failed(failure);
            }
        });
    }

    private ProviderOutcome fetchBitbucket(String name) {
        return withDeadline("Bitbucket", () -> {
            try {
                BitbucketProfileData data = bitbucket.fetch(name);
                return new ProviderOutcome(
                        SourceStatus.OK, json.writeValueAsString(data), null, null, clock.instant(), false);
            } catch (ProfileFetchFailure failure) {
                return failed(failure);
            }
        });
    }

    private ProviderOutcome failed(ProfileFetchFailure failure) {
        SourceStatus status = switch (failure.kind()) {
            case NOT_FOUND -> SourceStatus.NOT_FOUND;
            case RATE_LIMITED -> SourceStatus.RATE_LIMITED;
            case TIMEOUT -> SourceStatus.TIMEOUT;
            case ERROR -> SourceStatus.ERROR;
        };
        String detail = java.util.Objects.requireNonNullElse(failure.getMessage(), "upstream failure");
        return ProviderOutcome.failed(status, detail, failure.retryAt(), clock.instant());
    }

    /**
     * One provider's whole fetch (every page) gets {@code providerTimeout}. A late fetch is abandoned, not
     * interrupted (an interrupt inside a JDBC call would break the connection); its own request timeouts end it.
     */
    private ProviderOutcome withDeadline(String provider, Callable<ProviderOutcome> fetch) {
        CompletableFuture<ProviderOutcome> running = new CompletableFuture<>();
        Thread.ofVirtual().name("profiles-" + provider).start(() -> {
            try {
                running.complete(fetch.call());
            } catch (Throwable e) {
                running.completeExceptionally(e);
            }
        });
        try {
            return running.get(properties.providerTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return ProviderOutcome.failed(
                    SourceStatus.TIMEOUT, provider + " did not answer in time", null, clock.instant());
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            log.warn(
                    "{} profile fetch failed unexpectedly: {}",
                    provider,
                    cause == null ? "?" : cause.getClass().getName());
            return ProviderOutcome.failed(
                    SourceStatus.ERROR, provider + " answer could not be used", null, clock.instant());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ProviderOutcome.failed(
                    SourceStatus.TIMEOUT, provider + " fetch was interrupted", null, clock.instant());
        }
    }

    private AggregateResult answer(
            AggregateCommand command, Map<Provider, ProviderOutcome> outcomes, boolean remember) {
        ProviderOutcome gh = java.util.Objects.requireNonNull(outcomes.get(Provider.GITHUB));
        ProviderOutcome bb = java.util.Objects.requireNonNull(outcomes.get(Provider.BITBUCKET));
        GitHubProfileData gitHubData = gh.status() == SourceStatus.OK
                ? data(Provider.GITHUB, command.githubName(), gh, GitHubProfileData.class)
                : null;
        BitbucketProfileData bitbucketData = bb.status() == SourceStatus.OK
                ? data(Provider.BITBUCKET, command.bitbucketName(), bb, BitbucketProfileData.class)
                : null;
        Instant now = clock.instant();

        Map<String, Object> sources = new LinkedHashMap<>();
        sources.put("github", source(gh, gitHubData != null ? gitHubData.login() : command.githubName(), now));
        sources.put("bitbucket", source(bb, command.bitbucketName(), now));
        Map<String, Object> followers = new LinkedHashMap<>();
        followers.put("status", "unavailable");
        followers.put("detail", "Bitbucket removed follower counts in 2020; followers_count is GitHub's only");
        sources.put("bitbucket_followers", followers);
        if (command.includeCommits()) {
            Map<String, Object> commits = new LinkedHashMap<>();
            commits.put("status", "unavailable");
            commits.put("detail", "commits_count counts GitHub commits only");
            sources.put("bitbucket_commits", commits);
        }

        List<SourceStatus> statuses = List.of(gh.status(), bb.status());
        if (!statuses.contains(SourceStatus.OK)) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("sources", sources);
            List<SourceStatus> present =
                    statuses.stream().filter(s -> s != SourceStatus.NOT_FOUND).toList();
            if (present.isEmpty()) {
                return new AggregateResult(AggregateResult.Outcome.NOT_FOUND, body, 0);
            }
            if (present.stream().allMatch(s -> s == SourceStatus.RATE_LIMITED)) {
                // the earliest moment a retry can give at least a partial profile
                long wait = outcomes.values().stream()
                        .filter(o -> o.status() == SourceStatus.RATE_LIMITED)
                        .mapToLong(o -> secondsUntil(o.retryAt(), now))
                        .min()
                        .orElse(60);
                return new AggregateResult(AggregateResult.Outcome.RATE_LIMITED, body, wait);
            }
            return new AggregateResult(
                    present.contains(SourceStatus.TIMEOUT)
                            ? AggregateResult.Outcome.UPSTREAM_TIMEOUT
                            : AggregateResult.Outcome.UPSTREAM_FAILED,
                    body,
                    0);
        }

        ProfileFigures merged = new ProfileFigures(command.includeForks());
        Map<String, Object> perProvider = new LinkedHashMap<>();
        if (gitHubData != null) {
            merged.addGitHub(gitHubData);
            perProvider.put(
                    "github",
                    new ProfileFigures(command.includeForks())
                            .addGitHub(gitHubData)
                            .gitHubOwn(gitHubData, command.includeCommits()));
        }
        if (bitbucketData != null) {
            merged.addBitbucket(bitbucketData);
            perProvider.put(
                    "bitbucket",
                    new ProfileFigures(command.includeForks())
                            .addBitbucket(bitbucketData)
                            .bitbucketOwn(bitbucketData));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("arg-data", merged.merged(command.includeCommits()));
        body.put("per_provider", perProvider);
        body.put("sources", sources);
        Map<String, Object> options = new LinkedHashMap<>();
        options.put("include_forks", command.includeForks());
        options.put("include_commits", command.includeCommits());
        body.put("options", options);
        body.put("built_at", now.toString());
        if (remember) {
            remember(command, body, now, !gh.cached() || !bb.cached());
        }
        return new AggregateResult(AggregateResult.Outcome.PROFILE, body, 0);
    }

    private record Parsed(@Nullable Instant fetchedAt, Object data) {}

    /**
     * A provider answer as data. Parsed answers are kept in memory per (provider, name) and re-used while the row's
     * {@code fetched_at} is unchanged, so a cache hit reads neither the payload from PostgreSQL nor parses it.
     */
    private <T> T data(Provider provider, String name, ProviderOutcome outcome, Class<T> type) {
        String key = provider.key() + ":" + name;
        Parsed known = parsed.get(key);
        if (known != null
                && java.util.Objects.equals(known.fetchedAt(), outcome.fetchedAt())
                && type.isInstance(known.data())) {
            return type.cast(known.data());
        }
        String payload = outcome.payload() != null
                ? outcome.payload()
                : cache.payload(provider, name).orElseThrow(); // never null again once an OK answer was stored
        T data = json.readValue(payload, type);
        if (parsed.size() >= PARSED_LIMIT) {
            parsed.clear(); // crude bound; a miss only costs one read and one parse
        }
        parsed.put(key, new Parsed(outcome.fetchedAt(), data));
        return data;
    }

    private static Map<String, Object> source(ProviderOutcome outcome, String name, Instant now) {
        Map<String, Object> source = new LinkedHashMap<>();
        source.put("status", outcome.status().json());
        source.put("name", name);
        source.put("cached", outcome.cached());
        if (outcome.fetchedAt() != null) {
            source.put("fetched_at", outcome.fetchedAt().toString());
        }
        if (outcome.status() == SourceStatus.TIMEOUT) {
            source.put("timed_out", true);
        }
        if (outcome.detail() != null) {
            source.put("detail", outcome.detail());
        }
        if (outcome.status() == SourceStatus.RATE_LIMITED && outcome.retryAt() != null) {
            source.put("retry_after_seconds", secondsUntil(outcome.retryAt(), now));
        }
        return source;
    }

    private static long secondsUntil(@Nullable Instant at, Instant now) {
        if (at == null) {
            return 60;
        }
        long millis = Duration.between(now, at).toMillis();
        return Math.max(1, (millis + 999) / 1000);
    }

    /**
     * Keeps the merged profile for GET /api/v1/profiles/{name}. A pure cache hit only inserts a missing row: it
     * rebuilt the same figures from the same answers, and skipping the write keeps hits free of commits to disk.
     */
    private void remember(AggregateCommand command, Map<String, Object> body, Instant now, boolean fetched) {
        jdbc.sql("""
                        insert into profiles_merged_profile
                               (github_name, bitbucket_name, include_forks, include_commits, body, built_at)
                        values (:github, :bitbucket, :forks, :commits, cast(:body as jsonb), :at)
                        on conflict (github_name, bitbucket_name, include_forks, include_commits) do
                        """ + (fetched ? "update set body = excluded.body, built_at = excluded.built_at" : "nothing"))
                .param("github", command.githubName())
                .param("bitbucket", command.bitbucketName())
                .param("forks", command.includeForks())
                .param("commits", command.includeCommits())
                .param("body", json.writeValueAsString(body))
                .param("at", Timestamp.from(now))
                .update();
    }

    private static ProviderOutcome await(Future<ProviderOutcome> future) {
        try {
            return future.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}

package com.relaycrm.integrations.github;

import com.relaycrm.integrations.GitHubProfileApi;
import com.relaycrm.integrations.GitHubProfileData;
import com.relaycrm.integrations.GitHubProfileEtagStore;
import com.relaycrm.integrations.ProfileFetchFailure;
import com.relaycrm.integrations.ProfileFetchFailure.Kind;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * GitHub REST client for developer profiles: the account, every page of its own repositories (topics come with the
 * list, so no call per repository), the starred count, and optionally commit counts. Requests are conditional
 * ({@code If-None-Match}) when an earlier answer is remembered, and pagination follows {@code link} headers only on
 * the configured host, so the token never leaves GitHub.
 */
@Component
@EnableConfigurationProperties(GitHubProfileClient.Settings.class)
public class GitHubProfileClient implements GitHubProfileApi {

    private static final Logger log = LoggerFactory.getLogger(GitHubProfileClient.class);
    private static final Pattern LINK = Pattern.compile("<([^>]+)>\\s*;\\s*rel=\"([^\"]+)\"");
    private static final Pattern PAGE_PARAM = Pattern.compile("[?&]page=(\\d+)");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /**
     * GitHub settings; environment variables {@code GITHUB_API_URL}, {@code GITHUB_TOKEN} (optional: without it
     * GitHub allows 60 requests per hour), {@code GITHUB_PAGE_CAP}, {@code GITHUB_REQUEST_TIMEOUT}.
     */
    @ConfigurationProperties("github")
    public record Settings(
            @DefaultValue("https://api.github.com") String apiUrl,
            String token,
            @DefaultValue("30") int pageCap,
            @DefaultValue("10s") Duration requestTimeout,
            @DefaultValue("8") int commitsConcurrency) {

        public Settings {
            URI uri;
            try {
                uri = URI.create(apiUrl.strip());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("GITHUB_API_URL must be an absolute http(s) URL");
            }
            if (uri.getHost() == null || !("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()))) {
                throw new IllegalArgumentException("GITHUB_API_URL must be an absolute http(s) URL");
            }
            apiUrl = apiUrl.strip().replaceAll("/+$", "");
            token = token == null || token.isBlank() ? null : token.strip();
            if (pageCap < 1 || pageCap > 1000) {
                throw new IllegalArgumentException("GITHUB_PAGE_CAP must be between 1 and 1000");
            }
            if (requestTimeout.isNegative() || requestTimeout.isZero()) {
                throw new IllegalArgumentException("GITHUB_REQUEST_TIMEOUT must be positive");
            }
            if (commitsConcurrency < 1 || commitsConcurrency > 100) {
                throw new IllegalArgumentException("GITHUB_COMMITS_CONCURRENCY must be between 1 and 100");
            }
        }

        @Override
        public String toString() {
            return "Settings[apiUrl=" + apiUrl + ", token=" + (token == null ? "none" : "***") + "]";
        }
    }

    private final Settings settings;
    private final Clock clock;
    private final URI base;
    private final HttpClient http;

    public GitHubProfileClient(Settings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        this.base = URI.create(settings.apiUrl());
        this.http = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(5))
                .followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1)
                .build();
    }

    @Override
    public GitHubProfileData fetch(String login, boolean includeCommits, GitHubProfileEtagStore etags) {
        String encoded = URLEncoder.encode(login, StandardCharsets.UTF_8);
        // Stops the other requests of this fetch once one failed; no interrupts, because a thread interrupted
        // inside the etag store's JDBC call would break its database connection.
        AtomicBoolean stop = new AtomicBoolean();
        try (ExecutorService parallel = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<JsonNode> user = parallel.submit(
                    () -> get(settings.apiUrl() + "/users/" + encoded, etags, Compact::user, Mode.REQUIRED, stop));
            Future<RepoChain> repos = parallel.submit(() -> repositories(
                    settings.apiUrl() + "/users/" + encoded + "/repos?per_page=100&type=owner", etags, stop));
            Future<JsonNode> starred = parallel.submit(() -> get(
                    settings.apiUrl() + "/users/" + encoded + "/starred?per_page=1",
                    etags,
                    Compact::count,
                    Mode.REQUIRED,
                    stop));
            try {
                // The account first: a missing name is reported as missing even if the other calls failed too.
                JsonNode account = await(user);
                RepoChain chain = await(repos);
                long starsGiven = await(starred).path("count").asLong();
                Long commits = includeCommits ? commits(login, chain.repos(), etags, parallel, stop) : null;
                return new GitHubProfileData(
                        account.path("login").asString(login),
                        account.path("type").asString("User"),
                        account.path("followers").asLong(),
                        account.path("following").asLong(),
                        account.path("public_repos").asLong(),
                        starsGiven,
                        chain.repos().stream().map(Compact::repo).toList(),
                        commits,
                        chain.pages(),
                        chain.truncated());
            } catch (RuntimeException failure) {
                stop.set(true);
                throw failure;
            }
        }
    }

    private record RepoChain(List<JsonNode> repos, int pages, boolean truncated) {}

    /** Follows {@code rel="next"} as given, stopping at the page cap or on a link already seen. */
    private RepoChain repositories(String first, GitHubProfileEtagStore etags, AtomicBoolean stop) {
        List<JsonNode> repos = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        String url = first;
        int pages = 0;
        while (url != null) {
            if (pages == settings.pageCap() || !seen.add(url)) {
                log.warn("GitHub repository pages stopped after {} pages (cap or loop)", pages);
                return new RepoChain(repos, pages, true);
            }
            JsonNode page = get(url, etags, Compact::repoPage, Mode.REQUIRED, stop);
            pages++;
            page.path("repos").forEach(repos::add);
            url = page.path("next").isString() ? page.path("next").asString() : null;
        }
        return new RepoChain(repos, pages, false);
    }

    /** Commits by the account to its own non-fork repositories: one small request per repository, bounded. */
    private long commits(
            String login,
            List<JsonNode> repos,
            GitHubProfileEtagStore etags,
            ExecutorService parallel,
            AtomicBoolean stop) {
        Semaphore permits = new Semaphore(settings.commitsConcurrency());
        String author = URLEncoder.encode(login, StandardCharsets.UTF_8);
        List<Future<JsonNode>> counts = new ArrayList<>();
        for (JsonNode repo : repos) {
            String commitsUrl = repo.path("commits_url").asString("");
            if (repo.path("fork").asBoolean() || commitsUrl.isEmpty()) {
                continue;
            }
            counts.add(parallel.submit(() -> {
                permits.acquire();
                try {
                    return get(
                            commitsUrl + "?per_page=1&author=" + author,
                            etags,
                            Compact::count,
                            Mode.EMPTY_IS_ZERO,
                            stop);
                } finally {
                    permits.release();
                }
            }));
        }
        long total = 0;
        for (Future<JsonNode> count : counts) {
            total += await(count).path("count").asLong();
        }
        return total;
    }

    private enum Mode {
        REQUIRED,
        EMPTY_IS_ZERO
    }

    @FunctionalInterface
    private interface Compactor {
        ObjectNode compact(HttpResponse<byte[]> response, JsonNode body, URI uri);
    }

    /** One conditional GET; returns the compact form of the body (fresh, or remembered on 304). */
    private JsonNode get(String url, GitHubProfileEtagStore etags, Compactor compactor, Mode mode, AtomicBoolean stop) {
        if (stop.get()) {
            throw new ProfileFetchFailure(Kind.ERROR, "GitHub fetch abandoned", null);
        }
        URI uri = URI.create(url);
        if (!sameOrigin(uri)) {
            throw new ProfileFetchFailure(Kind.ERROR, "GitHub sent a link to another host", null);
        }
        Optional<GitHubProfileEtagStore.Entry> remembered = etags.find(url);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(settings.requestTimeout())
                .header("Accept", "application/vnd.github+json")
                .header("X-GitHub-Api-Version", "2022-11-28")
                .header("User-Agent", "relay-profiles")
                .GET();
        if (settings.token() != null) {
            request.header("Authorization", "Bearer " + settings.token());
        }
        remembered.ifPresent(entry -> request.header("If-None-Match", entry.etag()));
        HttpResponse<byte[]> response = send(request.build());
        int status = response.statusCode();
        if (status == 304 && remembered.isPresent()) {
            return JSON.readTree(remembered.get().compactBody());
        }
        if (status == 404 || (status == 409 && mode == Mode.EMPTY_IS_ZERO)) {
            if (mode == Mode.EMPTY_IS_ZERO) {
                return JSON.createObjectNode().put("count", 0);
            }
            throw new ProfileFetchFailure(Kind.NOT_FOUND, "GitHub has no account with this name", null);
        }
        rateLimited(response).ifPresent(failure -> {
            throw failure;
        });
        if (status < 200 || status > 299) {
            throw new ProfileFetchFailure(Kind.ERROR, "GitHub answered " + status, null);
        }
        JsonNode body;
        try {
            body = JSON.readTree(response.body());
        } catch (RuntimeException e) {
            throw new ProfileFetchFailure(Kind.ERROR, "GitHub sent a body that is not JSON", null);
        }
        ObjectNode compact = compactor.compact(response, body, uri);
        response.headers().firstValue("etag").ifPresent(etag -> etags.save(url, etag, compact.toString()));
        return compact;
    }

    private boolean sameOrigin(URI uri) {
        return base.getScheme().equalsIgnoreCase(String.valueOf(uri.getScheme()))
                && base.getHost().equalsIgnoreCase(String.valueOf(uri.getHost()))
                && effectivePort(base) == effectivePort(uri);
    }

    private static int effectivePort(URI uri) {
        return uri.getPort() != -1 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    private HttpResponse<byte[]> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (HttpTimeoutException e) {
            throw new ProfileFetchFailure(Kind.TIMEOUT, "GitHub did not answer in time", null);
        } catch (IOException e) {
            throw new ProfileFetchFailure(Kind.ERROR, "GitHub could not be reached", null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProfileFetchFailure(Kind.TIMEOUT, "GitHub request was interrupted", null);
        }
    }

    /**
     * Primary limit: 403/429 with {@code x-ratelimit-remaining: 0}, retry at {@code x-ratelimit-reset}. Secondary
     * limit: 403/429 with {@code retry-after}, or without it wait at least a minute.
     */
    private Optional<ProfileFetchFailure> rateLimited(HttpResponse<byte[]> response) {
        int status = response.statusCode();
        if (status != 403 && status != 429) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        Optional<Long> retryAfter = response.headers().firstValue("retry-after").flatMap(GitHubProfileClient::number);
        boolean exhausted = response.headers()
                .firstValue("x-ratelimit-remaining")
                .map("0"::equals)
                .orElse(false);
        Optional<Long> reset =
                response.headers().firstValue("x-ratelimit-reset").flatMap(GitHubProfileClient::number);
        Instant retryAt;
        if (retryAfter.isPresent()) {
            retryAt = now.plusSeconds(retryAfter.get());
        } else if (exhausted && reset.isPresent()) {
            retryAt = Instant.ofEpochSecond(reset.get());
        } else if (status == 429
                || exhausted
                || new String(response.body(), StandardCharsets.UTF_8)
                        .toLowerCase(java.util.Locale.ROOT)
                        .contains("rate limit")) {
            retryAt = now.plusSeconds(60);
        } else {
            return Optional.empty();
        }
        if (retryAt.isBefore(now)) {
            retryAt = now;
        }
        return Optional.of(new ProfileFetchFailure(Kind.RATE_LIMITED, "GitHub rate limit reached", retryAt));
    }

    private static Optional<Long> number(String text) {
        try {
            return Optional.of(Long.parseLong(text.strip()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static <T> T await(Future<T> future) {
        try {
            return future.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ProfileFetchFailure failure) {
                throw failure;
            }
            log.warn("GitHub profile fetch failed: {}", e.getCause().getClass().getSimpleName());
            throw new ProfileFetchFailure(Kind.ERROR, "GitHub answer could not be read", null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProfileFetchFailure(Kind.TIMEOUT, "GitHub request was interrupted", null);
        }
    }

    /** The few fields the profile uses, so remembered bodies stay small. */
    private static final class Compact {

        static ObjectNode user(HttpResponse<byte[]> response, JsonNode body, URI uri) {
            ObjectNode user = JSON.createObjectNode();
            user.put("login", body.path("login").asString(""));
            user.put("type", body.path("type").asString("User"));
            user.put("followers", body.path("followers").asLong());
            user.put("following", body.path("following").asLong());
            user.put("public_repos", body.path("public_repos").asLong());
            return user;
        }

        static ObjectNode repoPage(HttpResponse<byte[]> response, JsonNode body, URI uri) {
            ObjectNode page = JSON.createObjectNode();
            ArrayNode repos = page.putArray("repos");
            for (JsonNode repo : body.values()) {
                ObjectNode compact = repos.addObject();
                compact.put("name", repo.path("name").asString(""));
                compact.put("fork", repo.path("fork").asBoolean());
                compact.put("stargazers_count", repo.path("stargazers_count").asLong());
                compact.put("forks_count", repo.path("forks_count").asLong());
                compact.put("open_issues_count", repo.path("open_issues_count").asLong());
                compact.put("size", repo.path("size").asLong());
                if (repo.path("language").isString()) {
                    compact.put("language", repo.path("language").asString());
                }
                ArrayNode topics = compact.putArray("topics");
                repo.path("topics").values().forEach(topic -> {
                    if (topic.isString()) {
                        topics.add(topic.asString());
                    }
                });
                String commitsUrl = repo.path("commits_url").asString("");
                compact.put("commits_url", commitsUrl.replace("{/sha}", ""));
            }
            links(response, uri).entrySet().stream()
                    .filter(link -> link.getKey().equals("next"))
                    .findFirst()
                    .ifPresent(next -> page.put("next", next.getValue()));
            return page;
        }

        /** A count from a {@code per_page=1} listing: the last page number, or the items on the only page. */
        static ObjectNode count(HttpResponse<byte[]> response, JsonNode body, URI uri) {
            String last = links(response, uri).get("last");
            long count = body.isArray() ? body.size() : 0;
            if (last != null) {
                Matcher page = PAGE_PARAM.matcher(last);
                if (page.find()) {
                    count = Long.parseLong(page.group(1));
                }
            }
            return JSON.createObjectNode().put("count", count);
        }

        static Map<String, String> links(HttpResponse<byte[]> response, URI uri) {
            Map<String, String> links = new java.util.HashMap<>();
            response.headers().allValues("link").forEach(header -> {
                Matcher link = LINK.matcher(header);
                while (link.find()) {
                    links.put(link.group(2), uri.resolve(link.group(1)).toString());
                }
            });
            return links;
        }

        static GitHubProfileData.Repo repo(JsonNode repo) {
            List<String> topics = new ArrayList<>();
            repo.path("topics").values().forEach(topic -> topics.add(topic.asString()));
            return new GitHubProfileData.Repo(
                    repo.path("name").asString(""),
                    repo.path("fork").asBoolean(),
                    repo.path("stargazers_count").asLong(),
                    repo.path("forks_count").asLong(),
                    repo.path("open_issues_count").asLong(),
                    repo.path("size").asLong(),
                    repo.path("language").isString() ? repo.path("language").asString() : null,
                    topics);
        }
    }
}

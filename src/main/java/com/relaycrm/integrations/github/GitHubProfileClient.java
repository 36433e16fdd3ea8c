package com.relaycrm.integrations.github;

import com.relaycrm.integrations.GitHubProfileApi;
import com.relaycrm.integrations.GitHubProfileData;
import com.relaycrm.integrations.GitHubProfileEtagStore;
import com.relaycrm.integrations.ProfileFetchFailure;
import com.relaycrm.integrations.ProfileFetchFailure.Kind;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
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
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * GitHub REST client for developer profiles: the account, every page of its own repositories (topics come with the
 * list, so no call per repository), the starred count, and optionally commit counts. Every request goes through
 * {@link GitHubHttp}, the same set-up as the gist scanner's: headers, token, requests in flight, timeouts and the
 * rate-limit pause are shared. Requests are conditional ({@code If-None-Match}) when an earlier answer is
 * remembered, and pagination follows {@code link} headers only on the configured origin.
 */
@Component
public class GitHubProfileClient implements GitHubProfileApi {

    private static final Logger log = LoggerFactory.getLogger(GitHubProfileClient.class);
    private static final Pattern LINK = Pattern.compile("<([^>]+)>\\s*;\\s*rel=\"([^\"]+)\"");
    private static final Pattern PAGE_PARAM = Pattern.compile("[?&]page=(\\d+)");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final GitHubHttp http;
    private final GitHubProperties settings;

    public GitHubProfileClient(GitHubHttp http, GitHubProperties settings) {
        this.http = http;
        this.settings = settings;
    }

    @Override
    public GitHubProfileData fetch(String login, boolean includeCommits, GitHubProfileEtagStore etags) {
        String user = settings.apiUrl() + "/users/" + URLEncoder.encode(login, StandardCharsets.UTF_8);
        try (ExecutorService parallel = Executors.newVirtualThreadPerTaskExecutor()) {
            Fetch fetch = new Fetch(login, etags, parallel);
            Future<JsonNode> account = parallel.submit(() -> fetch.get(user, Compact::user, Mode.REQUIRED));
            Future<RepoChain> repos =
                    parallel.submit(() -> fetch.repositories(user + "/repos?per_page=100&type=owner", includeCommits));
            Future<JsonNode> starred =
                    parallel.submit(() -> fetch.get(user + "/starred?per_page=1", Compact::count, Mode.REQUIRED));
            try {
                // The account first: a missing name is reported as missing even if the other calls failed too.
                JsonNode found = await(account);
                RepoChain chain = await(repos);
                long starsGiven = await(starred).path("count").asLong();
                Long commits = null;
                if (includeCommits) {
                    long total = 0;
                    for (Future<JsonNode> count : chain.commitCounts()) {
                        total += await(count).path("count").asLong();
                    }
                    commits = total;
                }
                return new GitHubProfileData(
                        found.path("login").asString(login),
                        found.path("type").asString("User"),
                        found.path("followers").asLong(),
                        found.path("following").asLong(),
                        found.path("public_repos").asLong(),
                        starsGiven,
                        chain.repos().stream().map(Compact::repo).toList(),
                        commits,
                        chain.pages(),
                        chain.truncated());
            } catch (RuntimeException failure) {
                fetch.stop.set(true);
                throw failure;
            }
        }
    }

    private record RepoChain(List<JsonNode> repos, List<Future<JsonNode>> commitCounts, int pages, boolean truncated) {}

    private enum Mode {
        REQUIRED,
        EMPTY_IS_ZERO
    }

    @FunctionalInterface
    private interface Compactor {
        ObjectNode compact(HttpHeaders headers, JsonNode body, URI uri);
    }

    /** One profile fetch: its ETag memory, its threads, and the flag that ends its other requests after a failure. */
    private final class Fetch {

        private final String login;
        private final GitHubProfileEtagStore etags;
        private final ExecutorService parallel;
        private final Semaphore commitPermits = new Semaphore(settings.commitsConcurrency());
        // Cooperative: no interrupts, because a thread interrupted inside the etag store's JDBC call would break
        // its database connection.
        private final AtomicBoolean stop = new AtomicBoolean();

        Fetch(String login, GitHubProfileEtagStore etags, ExecutorService parallel) {
            this.login = login;
            this.etags = etags;
            this.parallel = parallel;
        }

        /**
         * Follows {@code rel="next"} as given, stopping at the page cap or on a link already seen. Commit counts of a
         * page start as soon as the page arrives, while the next page is fetched.
         */
        RepoChain repositories(String first, boolean includeCommits) {
            List<JsonNode> repos = new ArrayList<>();
            List<Future<JsonNode>> commitCounts = new ArrayList<>();
            Set<String> seen = new HashSet<>();
            String url = first;
            int pages = 0;
            while (url != null) {
                if (pages == settings.pageCap() || !seen.add(url)) {
                    log.warn("GitHub repository pages of {} stopped after {} pages (cap or loop)", login, pages);
                    return new RepoChain(repos, commitCounts, pages, true);
                }
                JsonNode page = get(url, Compact::repoPage, Mode.REQUIRED);
                pages++;
                for (JsonNode repo : page.path("repos")) {
                    repos.add(repo);
                    if (includeCommits) {
                        commitCount(repo).ifPresent(commitCounts::add);
                    }
                }
                url = page.path("next").isString() ? page.path("next").asString() : null;
            }
            return new RepoChain(repos, commitCounts, pages, false);
        }

        /** Commits by the account to one of its own non-fork repositories: one small request, bounded per fetch. */
        private Optional<Future<JsonNode>> commitCount(JsonNode repo) {
            String commitsUrl = repo.path("commits_url").asString("");
            if (repo.path("fork").asBoolean() || commitsUrl.isEmpty()) {
                return Optional.empty();
            }
            String url = commitsUrl + "?per_page=1&author=" + URLEncoder.encode(login, StandardCharsets.UTF_8);
            return Optional.of(parallel.submit(() -> {
                commitPermits.acquire();
                try {
                    return get(url, Compact::count, Mode.EMPTY_IS_ZERO);
                } finally {
                    commitPermits.release();
                }
            }));
        }

        /** One conditional GET; returns the compact form of the body (fresh, or remembered on 304). */
        JsonNode get(String url, Compactor compactor, Mode mode) {
            if (stop.get()) {
                throw new ProfileFetchFailure(Kind.ERROR, "GitHub fetch abandoned", null);
            }
            URI uri;
            try {
                uri = URI.create(url);
            } catch (IllegalArgumentException e) {
                throw new ProfileFetchFailure(Kind.ERROR, "GitHub sent a link that is not a URL", null);
            }
            if (!http.sameOrigin(uri)) {
                throw new ProfileFetchFailure(Kind.ERROR, "GitHub sent a link to another host", null);
            }
            Optional<GitHubProfileEtagStore.Entry> remembered = etags.find(url);
            GitHubHttp.Reply reply;
            try {
                reply = http.get(
                        uri, remembered.map(GitHubProfileEtagStore.Entry::etag).orElse(null));
            } catch (GitHubHttp.RateLimited e) {
                throw new ProfileFetchFailure(Kind.RATE_LIMITED, "GitHub rate limit reached", e.until());
            } catch (GitHubHttp.Unavailable e) {
                throw e.timedOut()
                        ? new ProfileFetchFailure(Kind.TIMEOUT, "GitHub did not answer in time", null)
                        : new ProfileFetchFailure(Kind.ERROR, "GitHub could not be reached", null);
            }
            int status = reply.status();
            if (status == 304 && remembered.isPresent()) {
                return JSON.readTree(remembered.get().compactBody());
            }
            if (status == 404 || (status == 409 && mode == Mode.EMPTY_IS_ZERO)) {
                if (mode == Mode.EMPTY_IS_ZERO) {
                    return JSON.createObjectNode().put("count", 0);
                }
                throw new ProfileFetchFailure(Kind.NOT_FOUND, "GitHub has no account with this name", null);
            }
            if (status < 200 || status > 299) {
                throw new ProfileFetchFailure(Kind.ERROR, "GitHub answered " + status, null);
            }
            JsonNode body;
            try {
                body = JSON.readTree(reply.body());
            } catch (RuntimeException e) {
                throw new ProfileFetchFailure(Kind.ERROR, "GitHub sent a body that is not JSON", null);
            }
            ObjectNode compact = compactor.compact(reply.headers(), body, uri);
            String etag = reply.headers().getETag();
            if (etag != null) {
                // Off the page chain: the next page need not wait for this write (the fetch waits for it at the end).
                parallel.submit(() -> remember(url, etag, compact.toString()));
            }
            return compact;
        }

        private void remember(String url, String etag, String compactBody) {
            try {
                etags.save(url, etag, compactBody);
            } catch (RuntimeException e) {
                log.warn(
                        "GitHub ETag not stored ({}): the next fetch is unconditional",
                        e.getClass().getSimpleName());
            }
        }
    }

    private static <T> T await(Future<T> future) {
        try {
            return future.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ProfileFetchFailure failure) {
                throw failure;
            }
            Throwable cause = e.getCause();
            log.warn(
                    "GitHub profile fetch failed: {}",
                    cause == null ? "?" : cause.getClass().getSimpleName());
            throw new ProfileFetchFailure(Kind.ERROR, "GitHub answer could not be read", null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProfileFetchFailure(Kind.TIMEOUT, "GitHub request was interrupted", null);
        }
    }

    /** The few fields the profile uses, so remembered bodies stay small. */
    private static final class Compact {

        static ObjectNode user(HttpHeaders headers, JsonNode body, URI uri) {
            ObjectNode user = JSON.createObjectNode();
            user.put("login", body.path("login").asString(""));
            user.put("type", body.path("type").asString("User"));
            user.put("followers", body.path("followers").asLong());
            user.put("following", body.path("following").asLong());
            user.put("public_repos", body.path("public_repos").asLong());
            return user;
        }

        static ObjectNode repoPage(HttpHeaders headers, JsonNode body, URI uri) {
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
            String next = links(headers, uri).get("next");
            if (next != null) {
                page.put("next", next);
            }
            return page;
        }

        /** A count from a {@code per_page=1} listing: the last page number, or the items on the only page. */
        static ObjectNode count(HttpHeaders headers, JsonNode body, URI uri) {
            String last = links(headers, uri).get("last");
            long count = body.isArray() ? body.size() : 0;
            if (last != null) {
                Matcher page = PAGE_PARAM.matcher(last);
                if (page.find()) {
                    count = Long.parseLong(page.group(1));
                }
            }
            return JSON.createObjectNode().put("count", count);
        }

        static Map<String, String> links(HttpHeaders headers, URI uri) {
            Map<String, String> links = new HashMap<>();
            for (String header : headers.getOrEmpty(HttpHeaders.LINK)) {
                Matcher link = LINK.matcher(header);
                while (link.find()) {
                    try {
                        links.put(link.group(2), uri.resolve(link.group(1)).toString());
                    } catch (IllegalArgumentException e) {
                        // an unusable link is no link: the chain ends here
                    }
                }
            }
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

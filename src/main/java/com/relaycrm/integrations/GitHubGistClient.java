package com.relaycrm.integrations;

import com.relaycrm.integrations.github.GitHubHttp;
import com.relaycrm.integrations.github.GitHubLinks;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.util.UriComponentsBuilder;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Lists a GitHub user's public gists: 100 per page, {@code link} pagination capped at a page limit, and a
 * conditional first request so an unchanged list costs a 304 (free against the limit when authenticated).
 */
@Component
public class GitHubGistClient {

    private static final Logger log = LoggerFactory.getLogger(GitHubGistClient.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final GitHubHttp http;

    public GitHubGistClient(GitHubHttp http) {
        this.http = http;
    }

    /** Snapshot of the primary rate limit as last reported by GitHub, and any block in force. */
    public record RateLimitView(
            @Nullable Integer limit,
            @Nullable Integer remaining,
            @Nullable Instant resetAt,
            @Nullable Instant blockedUntil,
            boolean authenticated,
            int requestsSent) {}

    public RateLimitView rateLimit() {
        GitHubHttp.RateLimitSnapshot last = http.lastRateLimit();
        return new RateLimitView(
                last == null ? null : last.limit(),
                last == null ? null : last.remaining(),
                last == null ? null : last.resetAt(),
                http.blockedUntil(GitHubHttp.CORE),
                http.authenticated(),
                http.requestsSent());
    }

    /** Requests per hour GitHub allows this client (60 anonymous, 5,000 with a token). */
    public int hourlyLimit() {
        return http.hourlyLimit();
    }

    /**
     * Lists every public gist of {@code login}. With {@code etag}, an unchanged first page ends the call with
     * {@link GistListing.NotModified}. The returned ETag is the first page's, the one to send next time.
     */
    public GistListing listGists(String login, @Nullable String etag) {
        URI uri = UriComponentsBuilder.fromUriString(http.apiUrl())
                .pathSegment("users", login, "gists")
                .queryParam("per_page", 100)
                .build()
                .encode()
                .toUri();
        List<GitHubGist> gists = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        String firstEtag = null;
        int page = 0;
        while (uri != null) {
            page++;
            GitHubHttp.Reply reply;
            try {
                reply = http.get(uri, page == 1 ? etag : null);
            } catch (GitHubHttp.RateLimited e) {
                return page == 1
                        ? new GistListing.RateLimited(e.until(), reason(e))
                        : partial(gists, login, "rate limited on page " + page, e.until());
            } catch (GitHubHttp.Unavailable e) {
                return page == 1
                        ? new GistListing.Failed(reason(e))
                        : partial(gists, login, reason(e) + " on page " + page, null);
            }
            int status = reply.status();
            if (page == 1 && status == 304) {
                return new GistListing.NotModified();
            }
            if (page == 1 && status == 404) {
                return new GistListing.UserNotFound();
            }
            if (status != 200) {
                String reason = "GitHub answered " + status + message(reply);
                return page == 1 ? new GistListing.Failed(reason) : partial(gists, login, reason, null);
            }
            JsonNode body;
            try {
                body = JSON.readTree(reply.body());
            } catch (JacksonException e) {
                return page == 1
                        ? new GistListing.Failed("GitHub sent unreadable JSON")
                        : partial(gists, login, "unreadable JSON on page " + page, null);
            }
            if (!body.isArray()) {
                return new GistListing.Failed("GitHub sent " + body.getNodeType() + " instead of a gist array");
            }
            for (JsonNode node : body) {
                GitHubGist gist = gist(node, login);
                if (gist != null && seen.add(gist.id())) {
                    gists.add(gist);
                }
            }
            if (page == 1) {
                firstEtag = reply.headers().getETag();
            }
            Optional<URI> next = GitHubLinks.next(reply.headers().getFirst("link"));
            if (next.isPresent() && !http.sameOrigin(next.get())) {
                log.warn("Ignoring a gist page link for {} that leaves GitHub's API origin", login);
                next = Optional.empty();
            }
            if (next.isPresent() && page >= http.pageCap()) {
                log.warn("Gists of {}: stopped at the page cap ({} pages, {} gists)", login, page, gists.size());
                return new GistListing.Changed(gists, null, false);
            }
            uri = next.orElse(null);
        }
        return new GistListing.Changed(gists, firstEtag, true);
    }

    private static String reason(Exception e) {
        return java.util.Objects.requireNonNullElse(e.getMessage(), e.getClass().getSimpleName());
    }

    private static GistListing partial(List<GitHubGist> gists, String login, String reason, @Nullable Instant until) {
        log.warn("Gists of {}: listing cut short ({}); keeping {} gists, no ETag stored", login, reason, gists.size());
        if (gists.isEmpty()) {
            return until != null ? new GistListing.RateLimited(until, reason) : new GistListing.Failed(reason);
        }
        return new GistListing.Changed(gists, null, false);
    }

    private static String message(GitHubHttp.Reply reply) {
        try {
            JsonNode body = JSON.readTree(new String(reply.body(), StandardCharsets.UTF_8));
            JsonNode message = body.get("message");
            return message != null && message.isString() ? ": " + truncate(message.stringValue(), 200) : "";
        } catch (JacksonException | IllegalArgumentException e) {
            return "";
        }
    }

    private static @Nullable GitHubGist gist(JsonNode node, String login) {
        String id = text(node, "id");
        String htmlUrl = text(node, "html_url");
        if (id == null || id.isBlank() || id.length() > 200 || htmlUrl == null) {
            return null;
        }
        List<GitHubGist.File> files = new ArrayList<>();
        JsonNode fileMap = node.get("files");
        if (fileMap != null && fileMap.isObject()) {
            for (var entry : fileMap.properties()) {
                JsonNode file = entry.getValue();
                String name = text(file, "filename");
                JsonNode size = file.get("size");
                files.add(new GitHubGist.File(
                        name == null ? entry.getKey() : name,
                        text(file, "language"),
                        size != null && size.isIntegralNumber() ? size.longValue() : null,
                        text(file, "raw_url")));
            }
        }
        JsonNode owner = node.get("owner");
        String ownerLogin = owner != null && owner.isObject() ? text(owner, "login") : null;
        return new GitHubGist(
                id,
                ownerLogin == null ? login : ownerLogin,
                text(node, "description"),
                htmlUrl,
                files,
                time(node, "created_at"),
                time(node, "updated_at"));
    }

    private static @Nullable String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && value.isString() ? value.stringValue() : null;
    }

    private static @Nullable OffsetDateTime time(JsonNode node, String field) {
        String value = text(node, field);
        try {
            return value == null ? null : OffsetDateTime.parse(value);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static String truncate(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max) + "...";
    }
}

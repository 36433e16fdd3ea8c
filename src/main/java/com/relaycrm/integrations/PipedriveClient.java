package com.relaycrm.integrations;

import com.relaycrm.integrations.pipedrive.PipedriveProperties;
import com.relaycrm.platform.RequestAdmission;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;
import org.springframework.web.util.UriComponentsBuilder;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Pipedrive API v2: organizations and deals. Every failure is a {@link PipedriveFailure} saying what to do next;
 * the key travels in the {@code x-api-token} header, never in a URL.
 */
@Component
public class PipedriveClient {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final PipedriveProperties properties;
    private final RestClient rest;

    public PipedriveClient(PipedriveProperties properties, RequestAdmission admission) {
        this.properties = properties;
        HttpClient http = HttpClient.newBuilder()
                .connectTimeout(properties.connectTimeout())
                .build();
        JdkClientHttpRequestFactory factory = new JdkClientHttpRequestFactory(http);
        factory.setReadTimeout(properties.readTimeout());
        this.rest = RestClient.builder()
                .requestFactory(factory)
                .requestInterceptor(admission.upstream())
                .build();
    }

    public record Deal(long id, String title, @Nullable Long orgId) {}

    /** The account for a company: {@code PIPEDRIVE_API_URL} when set, else {@code https://<company>.pipedrive.com/api}. */
    public PipedriveAccount account(@Nullable String companyName, String apiKey) {
        String base =
                properties.apiUrl() != null ? properties.apiUrl() : "https://" + companyName + ".pipedrive.com/api";
        return new PipedriveAccount(base, apiKey);
    }

    /** True when the account URL does not depend on a company name (PIPEDRIVE_API_URL is set). */
    public boolean hasExplicitApiUrl() {
        return properties.apiUrl() != null;
    }

    /** The id of an organization named exactly {@code name} (case-insensitive, as Pipedrive matches). */
    public OptionalLong findOrganization(PipedriveAccount account, String name) {
        URI uri =
                uri(account, "/v2/organizations/search", Map.of("term", name, "fields", "name", "exact_match", "true"));
        JsonNode items = call(account, HttpMethod.GET, uri, null).path("data").path("items");
        for (JsonNode entry : items) {
            JsonNode item = entry.path("item");
            if (item.path("id").isIntegralNumber()
                    && name.equalsIgnoreCase(item.path("name").asString(""))) {
                return OptionalLong.of(item.path("id").longValue());
            }
        }
        return OptionalLong.empty();
    }

    public long createOrganization(PipedriveAccount account, String name) {
        JsonNode data = call(
                        account, HttpMethod.POST, uri(account, "/v2/organizations", Map.of()), Map.of("name", name))
                .path("data");
        return id(data, "organization");
    }

    /** The first deal whose title contains {@code text} (Pipedrive's search is fuzzy; we check it ourselves). */
    public Optional<Deal> findDealWithTitleContaining(PipedriveAccount account, String searchTerm, String text) {
        URI uri = uri(account, "/v2/deals/search", Map.of("term", searchTerm, "fields", "title"));
        JsonNode items = call(account, HttpMethod.GET, uri, null).path("data").path("items");
        for (JsonNode entry : items) {
            JsonNode item = entry.path("item");
            String title = item.path("title").asString("");
            if (item.path("id").isIntegralNumber() && title.contains(text)) {
                JsonNode org = item.path("organization").path("id");
                return Optional.of(
                        new Deal(item.path("id").longValue(), title, org.isIntegralNumber() ? org.longValue() : null));
            }
        }
        return Optional.empty();
    }

    public Deal createDeal(PipedriveAccount account, String title, long orgId) {
        JsonNode data = call(
                        account,
                        HttpMethod.POST,
                        uri(account, "/v2/deals", Map.of()),
                        Map.of("title", title, "org_id", orgId))
                .path("data");
        JsonNode org = data.path("org_id");
        return new Deal(
                id(data, "deal"), data.path("title").asString(title), org.isIntegralNumber() ? org.longValue() : orgId);
    }

    private static long id(JsonNode data, String what) {
        JsonNode id = data.path("id");
        if (!id.isIntegralNumber()) {
            // The create may have happened; the caller retries and searches first.
            throw new PipedriveFailure(
                    PipedriveFailure.Kind.TRANSIENT,
                    200,
                    "Pipedrive's answer to creating a " + what + " had no id",
                    null);
        }
        return id.longValue();
    }

    private static URI uri(PipedriveAccount account, String path, Map<String, String> query) {
        UriComponentsBuilder builder = UriComponentsBuilder.fromUriString(account.baseUrl() + path);
        query.forEach(builder::queryParam);
        return builder.encode().build().toUri();
    }

    private JsonNode call(PipedriveAccount account, HttpMethod method, URI uri, @Nullable Object body) {
        record Reply(int status, HttpHeaders headers, byte[] body) {}
        Reply reply;
        try {
            var request = rest.method(method).uri(uri).headers(headers -> {
                headers.set("x-api-token", account.apiKey());
                headers.setAccept(java.util.List.of(MediaType.APPLICATION_JSON));
                headers.set(HttpHeaders.USER_AGENT, "relay-crm");
            });
            if (body != null) {
                request = request.contentType(MediaType.APPLICATION_JSON).body(JSON.writeValueAsBytes(body));
            }
            reply = request.exchange(
                    (req, res) -> new Reply(
                            res.getStatusCode().value(),
                            res.getHeaders(),
                            res.getBody().readAllBytes()),
                    true);
        } catch (RestClientException e) {
            throw new PipedriveFailure(PipedriveFailure.Kind.TRANSIENT, 0, "Pipedrive unreachable: " + root(e), null);
        }
        int status = reply.status();
        if (status >= 200 && status < 300) {
            try {
                return JSON.readTree(reply.body());
            } catch (JacksonException e) {
                throw new PipedriveFailure(
                        PipedriveFailure.Kind.TRANSIENT, status, "Pipedrive sent unreadable JSON", null);
            }
        }
        String message = "Pipedrive answered " + status + errorText(reply.body());
        if (status == 401) {
            throw new PipedriveFailure(PipedriveFailure.Kind.UNAUTHORIZED, status, message, null);
        }
        if (status == 429) {
            throw new PipedriveFailure(PipedriveFailure.Kind.RATE_LIMITED, status, message, waitFor(reply.headers()));
        }
        if (status >= 500 || status == 408) {
            throw new PipedriveFailure(PipedriveFailure.Kind.TRANSIENT, status, message, null);
        }
        throw new PipedriveFailure(PipedriveFailure.Kind.REJECTED, status, message, null);
    }

    /** retry-after when given, else the reset of the burst window, else two seconds. */
    static Duration waitFor(HttpHeaders headers) {
        Instant now = Instant.now();
        String retryAfter = headers.getFirst(HttpHeaders.RETRY_AFTER);
        if (retryAfter != null) {
            try {
                return Duration.ofSeconds(Math.clamp(Long.parseLong(retryAfter.trim()), 1, 86_400));
            } catch (NumberFormatException e) {
                try {
                    Instant at = ZonedDateTime.parse(retryAfter.trim(), DateTimeFormatter.RFC_1123_DATE_TIME)
                            .toInstant();
                    return at.isAfter(now) ? Duration.between(now, at) : Duration.ofSeconds(1);
                } catch (RuntimeException ignored) {
                    // fall through to the rate-limit headers
                }
            }
        }
        String reset = headers.getFirst("x-ratelimit-reset");
        if (reset != null) {
            try {
                long seconds = Long.parseLong(reset.trim());
                // Pipedrive sends seconds until reset; tolerate an epoch value too.
                return seconds > 1_000_000_000L
                        ? Duration.ofSeconds(Math.max(1, seconds - now.getEpochSecond()))
                        : Duration.ofSeconds(Math.clamp(seconds, 1, 86_400));
            } catch (NumberFormatException ignored) {
                // use the default
            }
        }
        return Duration.ofSeconds(2);
    }

    private static String errorText(byte[] body) {
        try {
            JsonNode json = JSON.readTree(new String(body, StandardCharsets.UTF_8));
            String error = json.path("error").asString("");
            if (!error.isBlank()) {
                return ": " + (error.length() > 300 ? error.substring(0, 300) + "..." : error);
            }
        } catch (JacksonException | IllegalArgumentException ignored) {
            // a non-JSON error page: status alone
        }
        return "";
    }

    private static String root(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
    }
}

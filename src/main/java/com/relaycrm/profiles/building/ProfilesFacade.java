package com.relaycrm.profiles.building;

import com.relaycrm.platform.ApiProblem;
import com.relaycrm.profiles.DeveloperProfile;
import com.relaycrm.profiles.ProfilesApi;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;

@Component
class ProfilesFacade implements ProfilesApi {

    /** The API's name rule (ProfilesController): nothing outside this set can alter an upstream URL path. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,38}");

    private final ProfileService profiles;

    ProfilesFacade(ProfileService profiles) {
        this.profiles = profiles;
    }

    @Override
    public Optional<DeveloperProfile> lastBuilt(String name) {
        if (name == null || name.isBlank()) {
            return Optional.empty();
        }
        return profiles.cached(name.strip().toLowerCase(Locale.ROOT)).map(ProfilesFacade::view);
    }

    @Override
    @SuppressWarnings("unchecked")
    public ProfileLookup lookup(String name, boolean refresh) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw ApiProblem.invalid(
                    "username",
                    "must be 1-39 characters: letters, digits, '-' or '_', starting with a letter or digit");
        }
        String key = name.toLowerCase(Locale.ROOT);
        AggregateResult result = profiles.aggregate(new AggregateCommand(key, key, false, refresh, false));
        Map<String, Object> body = result.body();
        List<Source> sources = new ArrayList<>();
        ((Map<String, Object>) body.getOrDefault("sources", Map.of())).forEach((provider, value) -> {
            Map<String, Object> source = (Map<String, Object>) value;
            sources.add(new Source(
                    provider,
                    String.valueOf(source.get("status")),
                    source.get("name") == null ? null : String.valueOf(source.get("name")),
                    Boolean.TRUE.equals(source.get("cached")),
                    Boolean.TRUE.equals(source.get("timed_out")),
                    source.get("detail") == null ? null : String.valueOf(source.get("detail")),
                    source.get("retry_after_seconds") instanceof Number n ? n.longValue() : null));
        });
        Outcome outcome = Outcome.valueOf(result.outcome().name());
        if (outcome != Outcome.PROFILE) {
            return new ProfileLookup(outcome, null, Map.of(), sources, result.retryAfterSeconds());
        }
        return new ProfileLookup(
                outcome,
                view(body),
                (Map<String, Object>) body.getOrDefault("arg-data", Map.of()),
                sources,
                result.retryAfterSeconds());
    }

    @SuppressWarnings("unchecked")
    private static DeveloperProfile view(Map<String, Object> body) {
        Map<String, Object> data = (Map<String, Object>) body.getOrDefault("arg-data", Map.of());
        Map<String, Object> sources = (Map<String, Object>) body.getOrDefault("sources", Map.of());
        List<String> languages = new ArrayList<>();
        ((List<Object>) data.getOrDefault("languages", List.of())).forEach(l -> languages.add(String.valueOf(l)));
        return new DeveloperProfile(
                name(sources, "github"),
                name(sources, "bitbucket"),
                number(data, "followers_count"),
                number(data, "public_repos_count"),
                number(data, "forked_repos_count"),
                number(data, "watcher_count"),
                languages,
                java.time.Instant.parse(String.valueOf(body.get("built_at"))));
    }

    @SuppressWarnings("unchecked")
    private static String name(Map<String, Object> sources, String provider) {
        return String.valueOf(((Map<String, Object>) sources.getOrDefault(provider, Map.of())).get("name"));
    }

    private static long number(Map<String, Object> data, String field) {
        return data.get(field) instanceof Number number ? number.longValue() : 0;
    }
}

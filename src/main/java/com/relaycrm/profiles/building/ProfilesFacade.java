package com.relaycrm.profiles.building;

import com.relaycrm.profiles.DeveloperProfile;
import com.relaycrm.profiles.ProfilesApi;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Component;

@Component
class ProfilesFacade implements ProfilesApi {

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

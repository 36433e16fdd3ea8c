package com.relaycrm.gistwatch.watching;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The seed's environment variables, names kept exactly: {@code PIPETEST_QUERIED_USERS},
 * {@code PIPETEST_QUERYING_INTERVAL}, {@code PIPETEST_PIEPEDRIVE_COMPANY_NAME}, {@code PIPETEST_PIEPEDRIVE_API_KEY}
 * (the "PIEPEDRIVE" typo is the real name; {@code PIPETEST_PIPEDRIVE_*} is accepted too).
 * The interval arrives as text so that a bad value fails start-up with the variable's name, not a binder trace.
 */
@ConfigurationProperties("pipetest")
public record PipetestProperties(
        String queriedUsers,
        String queryingInterval,
        String piepedriveCompanyName,
        String piepedriveApiKey,
        String pipedriveCompanyName,
        String pipedriveApiKey) {

    public static final String DEFAULT_USERS = "antomer";
    public static final int DEFAULT_INTERVAL_MINUTES = 30;
    /** A week; longer intervals are almost certainly a unit mistake. */
    public static final int MAX_INTERVAL_MINUTES = 7 * 24 * 60;

    public PipetestProperties {
        intervalOf(queryingInterval);
    }

    public int intervalMinutes() {
        return intervalOf(queryingInterval);
    }

    private static int intervalOf(String text) {
        if (text == null || text.isBlank()) {
            return DEFAULT_INTERVAL_MINUTES;
        }
        String trimmed = text.strip();
        if (!trimmed.matches("[0-9]{1,9}")) {
            throw new IllegalArgumentException(
                    "PIPETEST_QUERYING_INTERVAL must be a whole number of minutes >= 1, got '" + text + "'");
        }
        int minutes = Integer.parseInt(trimmed);
        if (minutes < 1 || minutes > MAX_INTERVAL_MINUTES) {
            throw new IllegalArgumentException("PIPETEST_QUERYING_INTERVAL must be between 1 and "
                    + MAX_INTERVAL_MINUTES + " minutes, got " + minutes);
        }
        return minutes;
    }

    /** The company name, seed spelling first. */
    public @Nullable String companyName() {
        return firstNonBlank(piepedriveCompanyName, pipedriveCompanyName);
    }

    /** The API key, seed spelling first; null when deal sync is disabled. */
    public @Nullable String apiKey() {
        return firstNonBlank(piepedriveApiKey, pipedriveApiKey);
    }

    private static @Nullable String firstNonBlank(@Nullable String a, @Nullable String b) {
        if (a != null && !a.isBlank()) {
            return a.strip();
        }
        return b != null && !b.isBlank() ? b.strip() : null;
    }

    /** The parsed watch list seed and the items that are not GitHub logins. */
    public record Logins(List<String> valid, List<String> invalid) {}

    /** Trimmed, empty items dropped, deduplicated case-insensitively (first spelling kept), validated. */
    public Logins logins() {
        String raw = queriedUsers == null ? DEFAULT_USERS : queriedUsers;
        Map<String, String> unique = new LinkedHashMap<>();
        List<String> invalid = new ArrayList<>();
        for (String item : raw.split(",")) {
            String login = item.strip();
            if (login.isEmpty()) {
                continue;
            }
            if (!GitHubLogins.isValid(login)) {
                invalid.add(login);
                continue;
            }
            unique.putIfAbsent(login.toLowerCase(Locale.ROOT), login);
        }
        return new Logins(List.copyOf(unique.values()), List.copyOf(invalid));
    }

    @Override
    public String toString() {
        return "PipetestProperties[queriedUsers=" + queriedUsers + ", queryingInterval=" + queryingInterval
                + ", companyName=" + companyName() + ", apiKey=" + (apiKey() == null ? "none" : "***") + "]";
    }
}

package com.relaycrm.integrations.github;

import java.net.URI;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/** Reads the {@code rel="next"} target of a {@code link} header (RFC 8288), used exactly as GitHub gave it. */
public final class GitHubLinks {

    private static final Pattern LINK = Pattern.compile("<([^>]*)>\\s*((?:;\\s*[^,;]+)*)");
    private static final Pattern REL = Pattern.compile("rel\\s*=\\s*\"?([^\";]+)\"?");

    private GitHubLinks() {}

    public static Optional<URI> next(@Nullable String header) {
        if (header == null) {
            return Optional.empty();
        }
        Matcher link = LINK.matcher(header);
        while (link.find()) {
            Matcher rel = REL.matcher(link.group(2));
            if (rel.find()
                    && java.util.Arrays.asList(rel.group(1).trim().split("\\s+"))
                            .contains("next")) {
                try {
                    return Optional.of(URI.create(link.group(1).trim()));
                } catch (IllegalArgumentException e) {
                    return Optional.empty();
                }
            }
        }
        return Optional.empty();
    }
}

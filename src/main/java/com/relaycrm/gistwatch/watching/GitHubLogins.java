package com.relaycrm.gistwatch.watching;

import java.util.Locale;
import java.util.regex.Pattern;

/** GitHub's username rule: 1-39 letters, digits or single inner hyphens. */
public final class GitHubLogins {

    private static final Pattern LOGIN = Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}");

    private GitHubLogins() {}

    public static boolean isValid(String login) {
        return login != null && LOGIN.matcher(login).matches();
    }

    public static String key(String login) {
        return login.toLowerCase(Locale.ROOT);
    }

    public static final String RULE =
            "must be a GitHub login: 1-39 letters, digits or single hyphens, " + "not starting or ending with a hyphen";
}

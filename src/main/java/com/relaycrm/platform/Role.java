package com.relaycrm.platform;

import java.util.Arrays;
import java.util.List;

/** Roles a token can carry; each module decides what a role may do with its resources. */
public enum Role {
    ADMIN,
    SALES,
    AGENT,
    VIEWER,
    /** Trusted back-end that may act on behalf of any messaging user. */
    MESSAGING_SERVICE;

    public String authority() {
        return "ROLE_" + name();
    }

    public static List<String> names() {
        return Arrays.stream(values()).map(Enum::name).toList();
    }
}

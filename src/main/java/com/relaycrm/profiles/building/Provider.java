package com.relaycrm.profiles.building;

enum Provider {
    GITHUB,
    BITBUCKET;

    String key() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}

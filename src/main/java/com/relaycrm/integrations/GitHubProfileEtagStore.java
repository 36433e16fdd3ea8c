package com.relaycrm.integrations;

import java.util.Optional;

/**
 * Remembers, per request URL, the last {@code etag} GitHub sent and the compact body the client derived from that
 * response, so a 304 answer can be served from it. The caller owns the storage (and shares it across instances).
 */
public interface GitHubProfileEtagStore {

    GitHubProfileEtagStore NONE = new GitHubProfileEtagStore() {
        @Override
        public Optional<Entry> find(String url) {
            return Optional.empty();
        }

        @Override
        public void save(String url, String etag, String compactBody) {}
    };

    Optional<Entry> find(String url);

    void save(String url, String etag, String compactBody);

    record Entry(String etag, String compactBody) {}
}

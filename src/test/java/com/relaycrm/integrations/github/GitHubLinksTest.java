package com.relaycrm.integrations.github;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.api.Test;

class GitHubLinksTest {

    @Test
    void nextIsReadFromTheLinkHeaderAsGiven() {
        String header = "<https://api.github.com/user/9/gists?per_page=100&page=2>; rel=\"next\", "
                + "<https://api.github.com/user/9/gists?per_page=100&page=5>; rel=\"last\"";
        assertThat(GitHubLinks.next(header))
                .contains(URI.create("https://api.github.com/user/9/gists?per_page=100&page=2"));
        assertThat(GitHubLinks.next("<https://x/y?page=1>; rel=\"prev\"")).isEmpty();
        assertThat(GitHubLinks.next(null)).isEmpty();
        assertThat(GitHubLinks.next("garbage")).isEmpty();
    }
}

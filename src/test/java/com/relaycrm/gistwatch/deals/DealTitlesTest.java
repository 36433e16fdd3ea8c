package com.relaycrm.gistwatch.deals;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DealTitlesTest {

    @Test
    void titleUsesDescriptionThenFirstFileAndAlwaysKeepsTheGistId() {
        assertThat(DealTitles.title("alice", "My  notes\n", "a.txt", "abc")).isEqualTo("alice: My notes (gist abc)");
        assertThat(DealTitles.title("alice", " ", "a.txt", "abc")).isEqualTo("alice: a.txt (gist abc)");
        assertThat(DealTitles.title("alice", null, null, "abc")).isEqualTo("alice: untitled (gist abc)");
        String long_ = DealTitles.title("alice", "x".repeat(400), "a.txt", "0123456789abcdef0123456789abcdef");
        assertThat(long_).hasSize(255).endsWith("... (gist 0123456789abcdef0123456789abcdef)");
    }
}

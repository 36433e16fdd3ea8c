package com.relaycrm.integrations;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * What GitHub and Bitbucket told this instance about their rate limits: while an upstream is paused, none of the
 * clients of this instance sends it a request (the gist scanner and the profile client share GitHub's pause, as they
 * share its budget). Kept in memory, like GitHub's own per-token counters it mirrors: another instance learns the
 * limit from its own first refused request.
 */
@Component
public class UpstreamPauses {

    public enum Upstream {
        GITHUB,
        BITBUCKET
    }

    private final Clock clock;
    private final Map<Upstream, Instant> pausedUntil = new ConcurrentHashMap<>();

    public UpstreamPauses(Clock clock) {
        this.clock = clock;
    }

    /** The end of the pause in force, if any. */
    public Optional<Instant> pausedUntil(Upstream upstream) {
        Instant until = pausedUntil.get(upstream);
        return until != null && until.isAfter(clock.instant()) ? Optional.of(until) : Optional.empty();
    }

    /** Pauses {@code upstream} until {@code until} (a later pause already in force wins); returns the end in force. */
    public Instant pause(Upstream upstream, Instant until) {
        return pausedUntil.merge(upstream, until, (a, b) -> a.isAfter(b) ? a : b);
    }

    /** Lifts every pause: for tests, and for an operator who knows the limit was raised. */
    public void clear() {
        pausedUntil.clear();
    }
}

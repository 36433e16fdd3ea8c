package com.relaycrm.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.function.Executable;

/**
 * Bounded time per fuzz input. In regression mode (no {@code JAZZER_FUZZ}) each input runs under a preemptive
 * timeout, so a hang fails the test instead of the build; when fuzzing, libFuzzer's {@code -timeout} catches hangs
 * (docs/FUZZING.md) and this checks that no input is merely slow.
 */
public final class FuzzBudget {

    public static final Duration PER_INPUT = Duration.ofSeconds(5);

    private FuzzBudget() {}

    public static void within(Executable body) throws Throwable {
        String fuzzing = System.getenv("JAZZER_FUZZ");
        if (fuzzing == null || fuzzing.isEmpty()) {
            Assertions.assertTimeoutPreemptively(PER_INPUT, body);
            return;
        }
        long started = System.nanoTime();
        body.execute();
        assertThat(Duration.ofNanos(System.nanoTime() - started))
                .as("time for one input")
                .isLessThan(PER_INPUT);
    }
}

package com.relaycrm.testsupport;

import java.time.Duration;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.function.Executable;

/**
 * Bounded time per fuzz input. In regression mode (no {@code JAZZER_FUZZ}) each input runs under a preemptive
 * timeout, so a hang fails the test instead of the build; when fuzzing, libFuzzer's {@code -timeout} catches hangs
 * (the command in docs/FUZZING.md passes {@code -timeout=10}); a per-input wall-clock check there would trip on
 * class loading and instrumentation of the first inputs.
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
        body.execute();
    }
}

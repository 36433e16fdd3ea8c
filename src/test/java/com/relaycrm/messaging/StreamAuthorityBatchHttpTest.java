package com.relaycrm.messaging;

import static com.relaycrm.messaging.MessagingEventsHttpTest.token;
import static com.relaycrm.messaging.MessagingHttpTest.thread;
import static org.assertj.core.api.Assertions.assertThat;

import com.relaycrm.platform.Actor;
import com.relaycrm.platform.Role;
import com.relaycrm.platform.TokenCheck;
import com.relaycrm.testsupport.ApiClient;
import com.relaycrm.testsupport.HttpTestSupport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.test.context.TestPropertySource;

/** Open streams are re-authorized in one batch per check, not one query per stream or per event. */
@TestPropertySource(properties = "relay.messaging.heartbeat=PT0.4S")
class StreamAuthorityBatchHttpTest extends HttpTestSupport {

    private static final int STREAMS = 60;

    /** Every liveAmong call the hub made, with the token ids it asked about. */
    static final List<Set<Long>> CHECKS = new CopyOnWriteArrayList<>();

    @TestConfiguration
    static class CountingTokens {

        @Bean
        @Primary
        TokenCheck countingTokenCheck(com.relaycrm.platform.security.ApiTokens tokens) {
            return new TokenCheck() {
                @Override
                public Optional<Actor> authenticate(String secret) {
                    return tokens.authenticate(secret);
                }

                @Override
                public Optional<Actor> live(long tokenId) {
                    return tokens.live(tokenId);
                }

                @Override
                public Set<Long> liveAmong(Collection<Long> tokenIds) {
                    CHECKS.add(Set.copyOf(tokenIds));
                    return tokens.liveAmong(tokenIds);
                }
            };
        }
    }

    @Test
    void oneTokenQueryPerCheckForAllOpenStreams() throws Exception {
        ApiClient alma = clientFor("alma", Role.AGENT);
        String thread = thread(alma, "alma", "bob");
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < STREAMS; i++) {
            tokens.add(token(clientFor("bob", Role.AGENT)));
        }
        List<SseStream> streams = new ArrayList<>();
        try {
            for (String token : tokens) {
                SseStream stream = SseStream.open(api.base(), "/thread/" + thread + "/events", token);
                assertThat(stream.status()).isEqualTo(200);
                streams.add(stream.awaitConnected(Duration.ofSeconds(10)));
            }
            CHECKS.clear();
            long started = System.nanoTime();
            Thread.sleep(2_000);
            long elapsedMillis = (System.nanoTime() - started) / 1_000_000;
            List<Set<Long>> checks = List.copyOf(CHECKS);
            // two checks per 0.4 s heartbeat: about 10 in 2 s, against 60 per heartbeat if each stream asked alone
            assertThat(checks).hasSizeBetween(3, (int) (elapsedMillis / 200) + 2);
            assertThat(checks).allSatisfy(ids -> assertThat(ids).hasSize(STREAMS));
            for (SseStream stream : streams) {
                assertThat(stream.endsWithin(Duration.ZERO)).isFalse();
            }
        } finally {
            streams.forEach(SseStream::close);
        }
    }
}

package com.relaycrm.profiles.building;

import static org.assertj.core.api.Assertions.assertThat;

import com.relaycrm.testsupport.HttpTestSupport;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Two cache instances over one database stand for two Relay instances behind a load balancer. */
class ProviderCacheLeaseTest extends HttpTestSupport {

    @Autowired
    JdbcClient jdbc;

    private final ProfilesProperties properties = new ProfilesProperties(Duration.ofMinutes(10), Duration.ofSeconds(5));

    private Supplier<ProviderOutcome> slowFetch(AtomicInteger fetches) {
        return () -> {
            fetches.incrementAndGet();
            try {
                Thread.sleep(300);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return new ProviderOutcome(
                    SourceStatus.OK,
                    "{\"workspace\":\"w\",\"repos\":[],\"pages\":1}",
                    null,
                    null,
                    Clock.systemUTC().instant(),
                    false);
        };
    }

    @Test
    void concurrentRequestsOnTwoInstancesFetchOnce() throws Exception {
        ProviderCache first = new ProviderCache(jdbc, Clock.systemUTC(), properties);
        ProviderCache second = new ProviderCache(jdbc, Clock.systemUTC(), properties);
        AtomicInteger fetches = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        List<Future<ProviderOutcome>> outcomes = new ArrayList<>();
        try (ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 12; i++) {
                ProviderCache cache = i % 2 == 0 ? first : second;
                outcomes.add(callers.submit(() -> {
                    start.await();
                    return cache.obtain(Provider.BITBUCKET, "two-instances", false, false, slowFetch(fetches));
                }));
            }
            start.countDown();
            for (Future<ProviderOutcome> outcome : outcomes) {
                assertThat(outcome.get().status()).isEqualTo(SourceStatus.OK);
                assertThat(outcome.get().payload()).contains("\"workspace\"");
            }
        }
        assertThat(fetches).hasValue(1);
    }

    @Test
    void refreshOnAnotherInstanceSharesAFetchStillRunning() throws Exception {
        ProviderCache first = new ProviderCache(jdbc, Clock.systemUTC(), properties);
        ProviderCache second = new ProviderCache(jdbc, Clock.systemUTC(), properties);
        AtomicInteger fetches = new AtomicInteger();
        first.obtain(Provider.GITHUB, "refreshing", false, false, slowFetch(fetches));
        CountDownLatch fetching = new CountDownLatch(1);
        Supplier<ProviderOutcome> signallingFetch = () -> {
            fetching.countDown();
            return slowFetch(fetches).get();
        };
        try (ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<ProviderOutcome> a =
                    callers.submit(() -> first.obtain(Provider.GITHUB, "refreshing", true, false, signallingFetch));
            fetching.await(); // the first refresh holds the lease and is calling the upstream
            Future<ProviderOutcome> b =
                    callers.submit(() -> second.obtain(Provider.GITHUB, "refreshing", true, false, slowFetch(fetches)));
            assertThat(a.get().status()).isEqualTo(SourceStatus.OK);
            assertThat(a.get().cached()).isFalse();
            assertThat(b.get().status()).isEqualTo(SourceStatus.OK);
            assertThat(b.get().cached()).isTrue();
        }
        // the initial fetch and the first refresh; the second refresh waited for the first one's answer
        assertThat(fetches).hasValue(2);
    }

    @Test
    void aLeaseLeftByADeadInstanceIsTakenOverAfterItExpires() {
        jdbc.sql("""
                insert into profiles_provider_snapshot (provider, name, lease_owner, lease_until)
                values ('github', 'orphan', gen_random_uuid(), now() - interval '1 second')
                """).update();
        AtomicInteger fetches = new AtomicInteger();
        ProviderOutcome outcome = new ProviderCache(jdbc, Clock.systemUTC(), properties)
                .obtain(Provider.GITHUB, "orphan", false, false, slowFetch(fetches));
        assertThat(outcome.status()).isEqualTo(SourceStatus.OK);
        assertThat(fetches).hasValue(1);
        assertThat(jdbc.sql("select lease_owner is null from profiles_provider_snapshot where name = 'orphan'")
                        .query(Boolean.class)
                        .single())
                .isTrue();
    }

    @Test
    void answersAndEtagsUnusedForAWeekArePurged() {
        jdbc.sql("""
                insert into profiles_provider_snapshot (provider, name, status, fetched_at, expires_at)
                values ('github', 'old-name', 'ok', now() - interval '9 days', now() - interval '8 days'),
                       ('github', 'recent-name', 'ok', now() - interval '1 day', now() - interval '1 day')
                """).update();
        jdbc.sql("""
                insert into profiles_github_etag (url, etag, compact_body, stored_at)
                values ('http://x/old', 'W/"1"', '{}', now() - interval '8 days'),
                       ('http://x/new', 'W/"2"', '{}', now())
                """).update();
        assertThat(new CachePurge(jdbc).purge(Clock.systemUTC().instant())).isEqualTo(2);
        assertThat(jdbc.sql("select name from profiles_provider_snapshot where name like '%-name'")
                        .query(String.class)
                        .list())
                .containsExactly("recent-name");
        assertThat(jdbc.sql("select url from profiles_github_etag where url like 'http://x/%'")
                        .query(String.class)
                        .list())
                .containsExactly("http://x/new");
    }
}

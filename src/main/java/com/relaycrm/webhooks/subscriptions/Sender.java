package com.relaycrm.webhooks.subscriptions;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * One HTTP attempt of one delivery, signed with the subscription's current (and still valid previous) secret.
 *
 * <p>Apache HttpClient 5, blocking, on the pump's virtual threads: measured at about a third of the CPU per request
 * of the JDK client behind {@code RestClient} (bench/webhooks), which matters because deliveries share the cores
 * with the API. Its DNS hook is the {@link UrlPolicy}, so a connection only ever goes to an address the SSRF rules
 * approved, and a watchdog aborts an attempt at the timeout even if the receiver keeps trickling bytes.
 */
@Component
class Sender implements DisposableBean {

    static final int BODY_LIMIT = 1024;

    private final CloseableHttpClient http;
    private final Duration timeout;
    /**
     * Aborts attempts that outlive the timeout; one daemon thread, idle unless a receiver is slow. A finished attempt's
     * abort is removed from the queue when cancelled: left in, every delivery's abort would wake the thread once at
     * its deadline (a thousand wake-ups a second at a thousand deliveries a second).
     */
    private final ScheduledThreadPoolExecutor watchdog = watchdog();

    private static ScheduledThreadPoolExecutor watchdog() {
        ScheduledThreadPoolExecutor watchdog = new ScheduledThreadPoolExecutor(1, task -> {
            Thread thread = new Thread(task, "webhooks-watchdog");
            thread.setDaemon(true);
            return thread;
        });
        watchdog.setRemoveOnCancelPolicy(true);
        return watchdog;
    }

    Sender(WebhooksProperties properties, UrlPolicy policy) {
        this.timeout = properties.timeout();
        Timeout limit = Timeout.ofMilliseconds(timeout.toMillis());
        DnsResolver pinned = new DnsResolver() {
            @Override
            public InetAddress[] resolve(String host) throws UnknownHostException {
                return policy.resolve(host);
            }

            @Override
            public String resolveCanonicalHostname(String host) {
                return host;
            }
        };
        int connections = properties.concurrency();
        this.http = HttpClients.custom()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setDnsResolver(pinned)
                        // Each subscription's job bounds its own sends; a pool limit per host would let one
                        // subscription whose receiver hangs hold the connections another one to the same host needs.
                        .setMaxConnPerRoute(connections * 64)
                        .setMaxConnTotal(connections * 64)
                        .setDefaultConnectionConfig(ConnectionConfig.custom()
                                .setConnectTimeout(limit)
                                .setSocketTimeout(limit)
                                .setTimeToLive(TimeValue.ofMinutes(5))
                                .setValidateAfterInactivity(TimeValue.ofSeconds(2))
                                .build())
                        .build())
                .setDefaultRequestConfig(RequestConfig.custom()
                        .setResponseTimeout(limit)
                        .setConnectionRequestTimeout(limit)
                        // a receiver could otherwise bounce a delivery to an internal address
                        .setRedirectsEnabled(false)
                        .build())
                .disableRedirectHandling()
                // a retry is a new attempt with its own log entry, never a hidden resend
                .disableAutomaticRetries()
                .disableCookieManagement()
                .disableAuthCaching()
                .disableContentCompression()
                .evictIdleConnections(TimeValue.ofSeconds(30))
                .setUserAgent("Relay-Webhooks/1")
                .build();
    }

    /** What one attempt got: a status (null when no answer came), the answer's first KB, or why it failed. */
    record Outcome(
            @Nullable Integer status,
            @Nullable String body,
            @Nullable String error,
            int latencyMs) {

        boolean succeeded() {
            Integer code = status;
            return code != null && code >= 200 && code < 300;
        }

        boolean gone() {
            Integer code = status;
            return code != null && code == 410;
        }
    }

    Outcome send(String url, Signatures.Signer signer, Deliveries.Due due, long timestampSeconds) {
        long start = System.nanoTime();
        byte[] body = due.body().getBytes(StandardCharsets.UTF_8);
        HttpPost post;
        try {
            post = new HttpPost(url);
        } catch (IllegalArgumentException e) {
            return new Outcome(null, null, "url cannot be called: " + abbreviate(String.valueOf(e.getMessage())), 0);
        }
        post.setHeader("webhook-id", due.messageId());
        post.setHeader("webhook-timestamp", Long.toString(timestampSeconds));
        post.setHeader("webhook-signature", signer.sign(due.messageId(), timestampSeconds, body));
        post.setEntity(new ByteArrayEntity(body, ContentType.APPLICATION_JSON));
        ScheduledFuture<?> abort = watchdog.schedule(post::cancel, timeout.toMillis(), TimeUnit.MILLISECONDS);
        ClassicHttpResponse response = null;
        try {
            response = http.executeOpen(null, post, null);
            byte[] head = new byte[0];
            HttpEntity entity = response.getEntity();
            if (entity != null) {
                InputStream in = entity.getContent();
                head = in.readNBytes(BODY_LIMIT);
                if (in.read() != -1) {
                    // closing would read the rest of a long answer; dropping the connection is cheaper
                    post.cancel();
                }
            }
            return new Outcome(response.getCode(), text(head), null, millisSince(start));
        } catch (IOException | RuntimeException e) {
            if (post.isCancelled()) {
                return new Outcome(null, null, "no answer within " + timeout.toMillis() + " ms", millisSince(start));
            }
            return new Outcome(null, null, describe(e), millisSince(start));
        } finally {
            abort.cancel(false);
            closeQuietly(response);
        }
    }

    private static void closeQuietly(@Nullable ClassicHttpResponse response) {
        if (response != null) {
            try {
                response.close();
            } catch (IOException | RuntimeException e) {
                // the outcome is known; a connection that fails to close is simply not reused
            }
        }
    }

    @Override
    public void destroy() throws IOException {
        watchdog.shutdownNow();
        http.close();
    }

    private String describe(Exception e) {
        Throwable root = e;
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            String name = cause.getClass().getSimpleName();
            if (name.contains("Timeout")) {
                return "no answer within " + timeout.toMillis() + " ms";
            }
            if (cause instanceof java.net.ConnectException) {
                return "connection refused or unreachable";
            }
            if (cause instanceof UrlPolicy.Refused) {
                return "url " + cause.getMessage();
            }
            if (cause instanceof UnknownHostException) {
                return "url host cannot be resolved: " + abbreviate(String.valueOf(cause.getMessage()));
            }
            root = cause;
            if (cause.getCause() == cause) {
                break;
            }
        }
        String message = root.getMessage();
        String name = root.getClass().getSimpleName();
        return message == null ? name : name + ": " + abbreviate(message);
    }

    private static String abbreviate(String text) {
        return text.length() > 200 ? text.substring(0, 200) : text;
    }

    /** The answer's first bytes as text; PostgreSQL text holds no NUL. */
    private static @Nullable String text(byte[] bytes) {
        if (bytes.length == 0) {
            return null;
        }
        return new String(bytes, StandardCharsets.UTF_8).replace('\0', '\uFFFD');
    }

    private static int millisSince(long start) {
        return (int) Math.min(Integer.MAX_VALUE, (System.nanoTime() - start) / 1_000_000);
    }
}

package com.relaycrm.platform;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.springframework.http.HttpStatus;
import org.springframework.http.client.ClientHttpRequestInterceptor;

/**
 * How many requests this instance works on at once. With a virtual thread per request, every open connection's
 * request ran at the same time, sharing the cores in no particular order: at 32 connections on 2 cores a few
 * requests in a hundred waited five to eight times the median. Requests now take a permit, first come first served,
 * so the rest wait their turn in arrival order (docs/PERFORMANCE.md, "Request admission").
 *
 * <p>A permit stands for work on this instance's CPU and database. Code that waits on something else (an upstream
 * API, another request's turn) steps {@link #outside} the gate for the wait, or {@link #leave}s it when the rest of
 * the request is bounded by other means.
 */
public final class RequestAdmission {

    private final Semaphore permits;
    private final int capacity;
    private final Duration maxWait;
    private final ThreadLocal<Boolean> holding = ThreadLocal.withInitial(() -> Boolean.FALSE);

    RequestAdmission(int permits, Duration maxWait) {
        this.capacity = permits;
        this.permits = new Semaphore(permits, true);
        this.maxWait = maxWait;
    }

    /**
     * Runs {@code wait} without this request's permit and takes one again afterwards, in line with everyone else.
     * Taking it back has no deadline: the request was admitted once, and failing it now would waste what the wait
     * brought. Without a permit (a request the gate does not cover, or a background thread) it just runs {@code wait}.
     */
    public <T> T outside(Supplier<T> wait) {
        if (!holding.get()) {
            return wait.get();
        }
        release();
        try {
            return wait.get();
        } finally {
            permits.acquireUninterruptibly();
            holding.set(Boolean.TRUE);
        }
    }

    /** For outgoing HTTP clients: each upstream exchange runs {@link #outside} the gate. */
    public ClientHttpRequestInterceptor upstream() {
        return (request, body, execution) -> {
            try {
                return outside(() -> {
                    try {
                        return execution.execute(request, body);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
        };
    }

    /** Gives up this request's permit for the rest of the request. */
    public void leave() {
        release();
    }

    /**
     * Takes a permit for the current thread, waiting at most the configured time; false when none came. For the
     * platform's request filter; modules use {@link #outside} and {@link #leave}.
     */
    public boolean admit() {
        try {
            if (!permits.tryAcquire(maxWait.toNanos(), TimeUnit.NANOSECONDS)) {
                return false;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        holding.set(Boolean.TRUE);
        return true;
    }

    /** Returns the current thread's permit, if it still holds one. For the platform's request filter. */
    public void release() {
        if (holding.get()) {
            holding.remove();
            permits.release();
        }
    }

    public int capacity() {
        return capacity;
    }

    public int inUse() {
        return capacity - permits.availablePermits();
    }

    public int waiting() {
        return permits.getQueueLength();
    }

    public static ApiProblem busy() {
        return ApiProblem.of(
                        HttpStatus.SERVICE_UNAVAILABLE,
                        "server-busy",
                        "Server busy",
                        "Relay is working on as many requests as it can; retry shortly")
                .header("Retry-After", "1");
    }
}

package com.relaycrm.webhooks.subscriptions;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Sends one subscription's due deliveries. Each subscription has its own db-scheduler execution, so exactly one
 * instance works on a subscription at a time (each attempt is made once) and a slow or dead receiver holds only its
 * own execution, never another subscription's.
 */
@Component
class DeliveryPump {

    private static final Logger log = LoggerFactory.getLogger(DeliveryPump.class);
    /** Only failed attempts draw from it; SecureRandom keeps retry times of many receivers unguessable too. */
    private static final SecureRandom JITTER = new SecureRandom();
    /** What a batch came to: something delivered, nothing delivered, or the subscription got disabled. */
    private enum Batch {
        DELIVERED,
        FAILING,
        DISABLED
    }

    /** How often a lingering job looks for new deliveries. */
    private static final Duration IDLE_POLL = Duration.ofMillis(50);

    private final Subscriptions subscriptions;
    private final Deliveries deliveries;
    private final Sender sender;
    private final WebhooksProperties properties;

    DeliveryPump(Subscriptions subscriptions, Deliveries deliveries, Sender sender, WebhooksProperties properties) {
        this.subscriptions = subscriptions;
        this.deliveries = deliveries;
        this.sender = sender;
        this.properties = properties;
    }

    /**
     * Sends what is due; returns when to look again, or null when the subscription is gone or disabled. After it sent
     * something it keeps watching for new deliveries for the configured linger (every 50 ms), so a busy
     * subscription's events go out within milliseconds of their commit instead of waiting for the scheduler's next
     * poll; an idle one gives its thread back.
     */
    @Nullable
    Instant run(long subscriptionId, BooleanSupplier shuttingDown) {
        Instant deadline = Instant.now().plus(properties.maxRun());
        Instant lingerUntil = Instant.now();
        while (true) {
            OffsetDateTime now = subscriptions.now();
            List<Deliveries.Due> batch = deliveries.due(subscriptionId, now, properties.batchSize());
            if (batch.isEmpty()) {
                if (Instant.now().isBefore(lingerUntil) && !shuttingDown.getAsBoolean()) {
                    pause(IDLE_POLL);
                    continue;
                }
                if (subscriptions
                        .find(subscriptionId)
                        .filter(Subscriptions.Row::enabled)
                        .isEmpty()) {
                    return null;
                }
                OffsetDateTime next = deliveries.nextDue(subscriptionId);
                Instant idle = now.toInstant().plus(properties.pollInterval());
                return next == null || next.toInstant().isAfter(idle) ? idle : next.toInstant();
            }
            Subscriptions.Row subscription = subscriptions.find(subscriptionId).orElse(null);
            if (subscription == null || !subscription.enabled()) {
                return null;
            }
            Batch sent = send(subscription, batch);
            if (sent == Batch.DISABLED) {
                return null;
            }
            if (sent == Batch.FAILING) {
                // Nothing got through: no lingering (a dead receiver's job would poll its held backlog every 50 ms);
                // come back when the first retry is due.
                OffsetDateTime next = deliveries.nextDue(subscriptionId);
                Instant idle = Instant.now().plus(properties.pollInterval());
                return next == null || next.toInstant().isBefore(Instant.now()) ? idle : next.toInstant();
            }
            lingerUntil = Instant.now().plus(properties.linger());
            if (Instant.now().isAfter(deadline) || shuttingDown.getAsBoolean()) {
                return Instant.now(); // yield the thread; the execution is picked again at the next poll
            }
            if (batch.size() < properties.batchSize()) {
                // A short batch means the job caught up: let the next one gather for a moment, so a busy stream is
                // read and recorded a batch at a time instead of a few rows at a time (the queries per batch cost
                // the same however many rows they carry, and they share the cores with the API).
                pause(properties.gather());
            }
        }
    }

    private static void pause(Duration wait) {
        try {
            Thread.sleep(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Sends a batch (one delivery per resource, in parallel); false when the subscription got disabled.
     *
     * <p>Once an attempt fails before any succeeded, the batch starts no more: a receiver that is down would otherwise
     * take every queued delivery through its own timeout (a backlog of thousands, ten seconds each, holding a job
     * thread for hours). The deliveries not tried wait, without an attempt counted, until the failed one's retry.
     */
    private Batch send(Subscriptions.Row subscription, List<Deliveries.Due> batch) {
        Signatures.Signer signer = new Signatures.Signer(subscription.signingSecrets(subscriptions.now()));
        Semaphore inFlight = new Semaphore(properties.concurrency());
        AtomicBoolean answered = new AtomicBoolean();
        AtomicBoolean tripped = new AtomicBoolean();
        List<Future<Sender.@Nullable Outcome>> outcomes = new ArrayList<>(batch.size());
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Deliveries.Due due : batch) {
                outcomes.add(threads.submit(() -> {
                    inFlight.acquire();
                    try {
                        if (tripped.get() && !answered.get()) {
                            return null;
                        }
                        Sender.Outcome outcome = sender.send(
                                subscription.url(), signer, due, Instant.now().getEpochSecond());
                        if (outcome.succeeded()) {
                            answered.set(true);
                        } else {
                            tripped.set(true);
                        }
                        return outcome;
                    } finally {
                        inFlight.release();
                    }
                }));
            }
        }
        OffsetDateTime now = subscriptions.now();
        List<Deliveries.Attempt> attempts = new ArrayList<>(batch.size());
        boolean succeeded = false;
        boolean gone = false;
        @Nullable String lastError = null;
        List<Long> untried = new ArrayList<>();
        @Nullable OffsetDateTime firstRetry = null;
        for (int i = 0; i < batch.size(); i++) {
            Deliveries.Due due = batch.get(i);
            Sender.Outcome outcome = outcome(outcomes.get(i));
            if (outcome == null) {
                untried.add(due.id());
                continue;
            }
            if (outcome.succeeded()) {
                succeeded = true;
                attempts.add(new Deliveries.Attempt(
                        due.id(), "succeeded", null, outcome.status(), outcome.body(), null, outcome.latencyMs()));
                continue;
            }
            int attempt = due.attempts() + 1;
            gone |= outcome.gone();
            lastError = outcome.error() != null ? outcome.error() : "receiver answered " + outcome.status();
            boolean last = outcome.gone() || attempt >= properties.maxAttempts();
            OffsetDateTime retry = last ? null : now.plus(jittered(properties.backoff(attempt)));
            if (retry != null && (firstRetry == null || retry.isBefore(firstRetry))) {
                firstRetry = retry;
            }
            attempts.add(new Deliveries.Attempt(
                    due.id(),
                    last ? "failed" : "pending",
                    retry,
                    outcome.status(),
                    outcome.body(),
                    outcome.error(),
                    outcome.latencyMs()));
        }
        deliveries.attempted(subscription.id(), attempts, now);
        if (!untried.isEmpty()) {
            deliveries.hold(
                    subscription.id(), untried, firstRetry != null ? firstRetry : now.plus(properties.backoff(1)));
        }
        if (gone) {
            subscriptions.disable(subscription.id(), "The receiver answered 410 Gone at " + now);
            log.info("Webhook subscription {} disabled: its receiver answered 410 Gone", subscription.id());
            return Batch.DISABLED;
        }
        if (lastError == null) {
            if (subscription.failingSince() != null) {
                subscriptions.succeeded(subscription.id());
            }
            return Batch.DELIVERED;
        }
        if (succeeded) {
            // some of the batch got through: the receiver is alive, so the failure clock starts again
            subscriptions.succeeded(subscription.id());
        }
        OffsetDateTime failingSince = subscriptions.failed(subscription.id(), now);
        if (!failingSince.plus(properties.disableAfter()).isAfter(now)) {
            subscriptions.disable(
                    subscription.id(),
                    "Every delivery failed from " + failingSince + " to " + now + "; last: " + lastError);
            log.info("Webhook subscription {} disabled after failing since {}", subscription.id(), failingSince);
            return Batch.DISABLED;
        }
        return succeeded ? Batch.DELIVERED : Batch.FAILING;
    }

    /** What the attempt got, or null when it was not made (the batch stopped after a failure). */
    private static Sender.@Nullable Outcome outcome(Future<Sender.@Nullable Outcome> future) {
        try {
            return future.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            String what = (cause != null ? cause : e).getClass().getSimpleName();
            return new Sender.Outcome(null, null, "unexpected: " + what, 0);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Sender.Outcome(null, null, "interrupted", 0);
        }
    }

    /** Up to 20 % either way, so retries of many deliveries that failed together spread out. */
    private static Duration jittered(Duration backoff) {
        double factor = 0.8 + 0.4 * JITTER.nextDouble();
        return Duration.ofMillis(Math.max(1, (long) (backoff.toMillis() * factor)));
    }
}

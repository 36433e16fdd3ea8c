package com.relaycrm.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RequestAdmissionTest {

    @Test
    void waitingRequestsAreAdmittedInArrivalOrder() throws Exception {
        RequestAdmission admission = new RequestAdmission(1, Duration.ofSeconds(10));
        assertThat(admission.admit()).isTrue();
        List<String> admitted = new CopyOnWriteArrayList<>();
        List<Thread> waiting = new java.util.ArrayList<>();
        for (String name : List.of("b", "c", "d", "e")) {
            int before = admission.waiting();
            waiting.add(Thread.ofVirtual().start(() -> {
                if (admission.admit()) {
                    admitted.add(name);
                    admission.release();
                }
            }));
            awaitQueue(admission, before + 1);
        }
        admission.release();
        for (Thread thread : waiting) {
            thread.join(5_000);
        }
        assertThat(admitted).containsExactly("b", "c", "d", "e");
        assertThat(admission.inUse()).isZero();
    }

    @Test
    void aNewArrivalDoesNotJumpTheQueue() throws Exception {
        RequestAdmission admission = new RequestAdmission(1, Duration.ofSeconds(10));
        assertThat(admission.admit()).isTrue();
        List<String> admitted = new CopyOnWriteArrayList<>();
        Thread queued = Thread.ofVirtual().start(() -> {
            if (admission.admit()) {
                admitted.add("queued");
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                admission.release();
            }
        });
        awaitQueue(admission, 1);
        // the permit comes free and, at that instant, a new request asks for it
        admission.release();
        assertThat(admission.admit()).isTrue();
        admitted.add("new arrival");
        admission.release();
        queued.join(5_000);
        assertThat(admitted).containsExactly("queued", "new arrival");
    }

    @Test
    void aRequestThatWaitsTooLongIsNotAdmitted() throws Exception {
        RequestAdmission admission = new RequestAdmission(1, Duration.ofMillis(100));
        assertThat(admission.admit()).isTrue();
        long started = System.nanoTime();
        boolean[] second = new boolean[1];
        Thread other = Thread.ofVirtual().start(() -> second[0] = admission.admit());
        other.join(5_000);
        assertThat(second[0]).isFalse();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(100));
        assertThat(admission.inUse()).isEqualTo(1);
    }

    @Test
    void outsideLendsThePermitForTheWaitAndTakesItBack() throws Exception {
        RequestAdmission admission = new RequestAdmission(1, Duration.ofSeconds(5));
        assertThat(admission.admit()).isTrue();
        String result = admission.outside(() -> {
            assertThat(admission.inUse()).isZero();
            CountDownLatch served = new CountDownLatch(1);
            Thread.ofVirtual().start(() -> {
                if (admission.admit()) {
                    admission.release();
                    served.countDown();
                }
            });
            try {
                assertThat(served.await(5, TimeUnit.SECONDS))
                        .as("another request ran during the wait")
                        .isTrue();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            return "upstream answer";
        });
        assertThat(result).isEqualTo("upstream answer");
        assertThat(admission.inUse()).isEqualTo(1);
        admission.release();
        assertThat(admission.inUse()).isZero();
    }

    @Test
    void outsideWithoutAPermitOnlyRunsTheWait() {
        RequestAdmission admission = new RequestAdmission(2, Duration.ofSeconds(1));
        assertThat(admission.outside(() -> admission.inUse())).isZero();
        assertThat(admission.inUse()).isZero();
    }

    @Test
    void outsideWaitsInLineToTakeItsPermitBack() throws Exception {
        RequestAdmission admission = new RequestAdmission(1, Duration.ofMillis(50));
        assertThat(admission.admit()).isTrue();
        CountDownLatch taken = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        List<String> order = new CopyOnWriteArrayList<>();
        Thread other = Thread.ofVirtual().unstarted(() -> {
            if (admission.admit()) {
                taken.countDown();
                try {
                    finish.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                order.add("other request done");
                admission.release();
            }
        });
        Thread.ofVirtual().start(() -> {
            try {
                taken.await();
                Thread.sleep(200); // longer than max-wait: re-entry has no deadline
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            finish.countDown();
        });
        admission.outside(() -> {
            other.start();
            try {
                taken.await();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            return null;
        });
        order.add("back inside");
        assertThat(order).containsExactly("other request done", "back inside");
        assertThat(admission.inUse()).isEqualTo(1);
        admission.release();
    }

    @Test
    void leavingTwiceReturnsOnePermit() {
        RequestAdmission admission = new RequestAdmission(2, Duration.ofSeconds(1));
        assertThat(admission.admit()).isTrue();
        admission.leave();
        admission.leave();
        admission.release();
        assertThat(admission.inUse()).isZero();
        assertThat(admission.admit()).isTrue();
        assertThat(admission.inUse()).isEqualTo(1);
        admission.release();
    }

    private static void awaitQueue(RequestAdmission admission, int length) throws InterruptedException {
        for (int i = 0; i < 500 && admission.waiting() < length; i++) {
            Thread.sleep(10);
        }
        assertThat(admission.waiting()).isEqualTo(length);
    }
}

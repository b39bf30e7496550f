package io.dynamicrag.app.cluster;

import io.dynamicrag.app.support.IntegrationTest;
import io.dynamicrag.kernel.ids.TenantId;
import io.dynamicrag.processing.index.TenantWriteLocks;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** The tenant write lock on the real PostgreSQL: one writer per tenant at a time, other tenants unaffected. */
class TenantWriteLocksIntegrationTest extends IntegrationTest {

    @Autowired
    TenantWriteLocks locks;

    @Test
    void aSecondWriterOfTheSameTenantWaitsUntilTheFirstTransactionEnds() throws Exception {
        TenantId tenant = TenantId.random();
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicLong firstEnded = new AtomicLong();
        // two threads of its own: the common pool may have a single thread on a 2-core machine
        ExecutorService writers = Executors.newFixedThreadPool(2);
        try {
            CompletableFuture<Void> first = CompletableFuture.runAsync(() -> locks.whileHolding(tenant, () -> {
                held.countDown();
                try {
                    // the first writer holds the lock until the test has seen the second one wait
                    assertThat(release.await(30, TimeUnit.SECONDS)).isTrue();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                firstEnded.set(System.nanoTime());
                return null;
            }), writers);
            assertThat(held.await(10, TimeUnit.SECONDS)).isTrue();

            long otherTenantStarted = locks.whileHolding(TenantId.random(), System::nanoTime);
            assertThat(firstEnded.get()).as("another tenant does not wait").isZero();

            CompletableFuture<Long> second = CompletableFuture.supplyAsync(
                    () -> locks.whileHolding(tenant, System::nanoTime), writers);
            Awaitility.await("the second writer of the tenant waits").during(Duration.ofMillis(800))
                    .atMost(Duration.ofSeconds(5)).until(() -> !second.isDone());
            release.countDown();
            first.get(10, TimeUnit.SECONDS);
            long secondStarted = second.get(10, TimeUnit.SECONDS);
            assertThat(secondStarted).as("the second writer started after the first ended")
                    .isGreaterThanOrEqualTo(firstEnded.get());
            assertThat(otherTenantStarted).isLessThan(firstEnded.get());
        } finally {
            release.countDown();
            writers.shutdownNow();
        }
    }

    /**
     * On a thread of its own: JUnit's main thread can carry a transaction another test class left bound to it (after
     * PostgresRestartIntegrationTest's context, whose database was stopped and started, one stayed bound; not found).
     */
    @Test
    void theLockNeedsATransaction() throws Exception {
        ExecutorService fresh = Executors.newSingleThreadExecutor();
        try {
            Throwable refused = CompletableFuture.supplyAsync(() -> {
                try {
                    locks.holdForCurrentTransaction(TenantId.random());
                    return null;
                } catch (RuntimeException e) {
                    return e;
                }
            }, fresh).get(30, TimeUnit.SECONDS);
            assertThat(refused).isInstanceOf(IllegalStateException.class);
        } finally {
            fresh.shutdownNow();
        }
    }
}

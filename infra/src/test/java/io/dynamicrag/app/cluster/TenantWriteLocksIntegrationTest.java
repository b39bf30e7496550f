package io.dynamicrag.app.cluster;

import io.dynamicrag.app.support.IntegrationTest;
import io.dynamicrag.kernel.ids.TenantId;
import io.dynamicrag.processing.index.TenantWriteLocks;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The tenant write lock on the real PostgreSQL: one writer per tenant at a time, other tenants unaffected. */
class TenantWriteLocksIntegrationTest extends IntegrationTest {

    @Autowired
    TenantWriteLocks locks;

    @Test
    void aSecondWriterOfTheSameTenantWaitsUntilTheFirstTransactionEnds() throws Exception {
        TenantId tenant = TenantId.random();
        CountDownLatch held = new CountDownLatch(1);
        AtomicLong firstEnded = new AtomicLong();
        CompletableFuture<Void> first = CompletableFuture.runAsync(() -> locks.whileHolding(tenant, () -> {
            held.countDown();
            try {
                Thread.sleep(800);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            firstEnded.set(System.nanoTime());
            return null;
        }));
        assertThat(held.await(10, TimeUnit.SECONDS)).isTrue();

        long otherTenantStarted = locks.whileHolding(TenantId.random(), System::nanoTime);
        assertThat(firstEnded.get()).as("another tenant does not wait").isZero();

        long secondStarted = locks.whileHolding(tenant, System::nanoTime);
        first.get(10, TimeUnit.SECONDS);
        assertThat(secondStarted).as("the second writer started after the first ended")
                .isGreaterThanOrEqualTo(firstEnded.get());
        assertThat(otherTenantStarted).isLessThan(firstEnded.get());
    }

    @Test
    void theLockNeedsATransaction() {
        assertThatThrownBy(() -> locks.holdForCurrentTransaction(TenantId.random()))
                .isInstanceOf(IllegalStateException.class);
    }
}

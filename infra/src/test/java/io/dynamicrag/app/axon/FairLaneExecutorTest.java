package io.dynamicrag.app.axon;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class FairLaneExecutorTest {

    @Test
    void aTenantWithOneStepIsNotStuckBehindAnotherTenantsBatch() throws Exception {
        List<String> order = new CopyOnWriteArrayList<>();
        CountDownLatch gate = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(101);
        try (FairLaneExecutor executor = new FairLaneExecutor(1, "test")) {
            executor.execute("blocker", () -> {
                await(gate);
                done.countDown();
            });
            for (int i = 0; i < 99; i++) {
                int n = i;
                executor.execute("tenant:big", () -> {
                    order.add("big-" + n);
                    done.countDown();
                });
            }
            executor.execute("tenant:small", () -> {
                order.add("small");
                done.countDown();
            });
            gate.countDown();
            assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
        }
        // the small tenant's only step ran second, not after the 99 steps queued before it
        assertThat(order.indexOf("small")).isEqualTo(1);
        assertThat(order).hasSize(100);
        List<String> expectedBig = java.util.stream.IntStream.range(0, 99).mapToObj(i -> "big-" + i).toList();
        assertThat(order.stream().filter(s -> s.startsWith("big-")).toList()).isEqualTo(expectedBig);
    }

    @Test
    void lanesRunInParallelOnSeveralThreadsAndAFailingTaskKillsNoWorker() throws Exception {
        CountDownLatch bothRunning = new CountDownLatch(2);
        CountDownLatch after = new CountDownLatch(1);
        try (FairLaneExecutor executor = new FairLaneExecutor(2, "test")) {
            executor.execute("a", () -> {
                throw new IllegalStateException("boom");
            });
            executor.execute("a", () -> {
                bothRunning.countDown();
                await(after);
            });
            executor.execute("b", () -> {
                bothRunning.countDown();
                await(after);
            });
            assertThat(bothRunning.await(10, TimeUnit.SECONDS)).isTrue();
            after.countDown();
        }
    }

    @Test
    void aLaneWhoseTasksAllBlockLeavesAThreadForTheOtherLanes() throws Exception {
        // one tenant's embed steps waiting on its OpenAI-wire server (Retry-After, time-outs): slow, not many
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch otherRan = new CountDownLatch(1);
        java.util.concurrent.atomic.AtomicInteger slowRunning = new java.util.concurrent.atomic.AtomicInteger();
        try (FairLaneExecutor executor = new FairLaneExecutor(4, "test")) {
            for (int i = 0; i < 8; i++) {
                executor.execute("tenant:slow", () -> {
                    slowRunning.incrementAndGet();
                    await(release);
                    slowRunning.decrementAndGet();
                });
            }
            // the slow lane has taken all the threads it may have (all four without a limit per lane)
            org.awaitility.Awaitility.await().during(java.time.Duration.ofMillis(300))
                    .atMost(java.time.Duration.ofSeconds(5)).until(() -> slowRunning.get() >= 3);
            assertThat(slowRunning.get()).as("threads the slow lane holds").isEqualTo(3);

            executor.execute("tenant:other", otherRan::countDown);
            assertThat(otherRan.await(5, TimeUnit.SECONDS)).as("the other tenant's step ran").isTrue();
            release.countDown();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

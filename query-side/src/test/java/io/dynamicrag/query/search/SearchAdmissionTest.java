package io.dynamicrag.query.search;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SearchAdmissionTest {

    /** The admission's clock: moved by the test, so "waited too long" does not depend on the machine's speed. */
    private final AtomicLong now = new AtomicLong();
    private final SearchAdmission admission = new SearchAdmission(
            new SearchAdmission.Settings(1, 1, Duration.ofSeconds(5), Duration.ofSeconds(10)), now::get);
    private final CountDownLatch running = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void close() {
        release.countDown();
        admission.close();
    }

    /** A search that holds the only search thread until the test releases it. */
    private Mono<String> blockingSearch() {
        return started(admission.admit(() -> {
            running.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return CompletableFuture.completedFuture("slow");
        }));
    }

    /** Subscribed now (queued or running), its outcome kept for the test to read later. */
    private static Mono<String> started(Mono<String> search) {
        Mono<String> cached = search.cache();
        cached.subscribe(answer -> { }, error -> { });
        return cached;
    }

    @Test
    void shouldRunTheSearchOnASearchThread() {
        String thread = admission.admit(() -> CompletableFuture.completedFuture(Thread.currentThread().getName()))
                .block(Duration.ofSeconds(5));
        assertThat(thread).startsWith("rag-search-");
    }

    @Test
    void shouldShedASearchAtOnceWhenTheQueueIsFull() throws InterruptedException {
        Mono<String> first = blockingSearch();
        assertThat(running.await(5, TimeUnit.SECONDS)).isTrue();
        Mono<String> queued = started(admission.admit(() -> CompletableFuture.completedFuture("queued")));

        assertThatThrownBy(() -> admission.admit(() -> CompletableFuture.completedFuture("third")).block())
                .isInstanceOf(SearchOverloadedException.class)
                .hasMessageContaining("1 searches are already waiting for one of 1 search threads")
                .satisfies(e -> assertThat(((SearchOverloadedException) e).retryAfterSeconds()).isEqualTo(1));
        assertThat(admission.shedQueueFull()).isEqualTo(1);
        assertThat(admission.queued()).isEqualTo(1);

        release.countDown();
        assertThat(first.block(Duration.ofSeconds(5))).isEqualTo("slow");
        assertThat(queued.block(Duration.ofSeconds(5))).isEqualTo("queued");
    }

    @Test
    void shouldNotRunASearchThatWaitedLongerThanItsClientIsWillingTo() throws InterruptedException {
        Mono<String> first = blockingSearch();
        assertThat(running.await(5, TimeUnit.SECONDS)).isTrue();
        AtomicBoolean ran = new AtomicBoolean();
        Mono<String> late = started(admission.admit(() -> {
            ran.set(true);
            return CompletableFuture.completedFuture("late");
        }));

        now.addAndGet(Duration.ofSeconds(5).plusMillis(1).toNanos());
        release.countDown();

        assertThat(first.block(Duration.ofSeconds(5))).isEqualTo("slow");
        assertThatThrownBy(() -> late.block(Duration.ofSeconds(5)))
                .isInstanceOf(SearchOverloadedException.class)
                .hasMessageContaining("waited 5001 ms for its turn (at most 5000 ms) and was not run");
        assertThat(ran).isFalse();
        assertThat(admission.shedWaited()).isEqualTo(1);
    }

    @Test
    void shouldRunASearchThatWaitedUpToTheLimit() throws InterruptedException {
        Mono<String> first = blockingSearch();
        assertThat(running.await(5, TimeUnit.SECONDS)).isTrue();
        Mono<String> patient = started(admission.admit(() -> CompletableFuture.completedFuture("answered")));

        now.addAndGet(Duration.ofSeconds(5).toNanos());
        release.countDown();

        assertThat(first.block(Duration.ofSeconds(5))).isEqualTo("slow");
        assertThat(patient.block(Duration.ofSeconds(5))).isEqualTo("answered");
        assertThat(admission.shedWaited()).isZero();
    }

    @Test
    void shouldAnswerOverloadedWhenASearchRunsPastTheTimeout() {
        try (SearchAdmission quick = new SearchAdmission(
                new SearchAdmission.Settings(1, 1, Duration.ofMillis(100), Duration.ofMillis(200)))) {
            CompletableFuture<String> never = new CompletableFuture<>();
            assertThatThrownBy(() -> quick.admit(() -> never).block(Duration.ofSeconds(5)))
                    .isInstanceOf(SearchOverloadedException.class)
                    .hasMessageContaining("no answer within 200 ms");
            assertThat(quick.shedTimedOut()).isEqualTo(1);
        }
    }

    @Test
    void shouldRefuseSettingsThatCannotWork() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new SearchAdmission.Settings(0, 1, Duration.ZERO, Duration.ofSeconds(1)));
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new SearchAdmission.Settings(1, 0, Duration.ZERO, Duration.ofSeconds(1)));
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new SearchAdmission.Settings(1, 1, Duration.ofSeconds(2), Duration.ofSeconds(1)));
    }
}

package io.dynamicrag.app.axon;

import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventhandling.TrackingEventStream;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.eventsourcing.eventstore.inmemory.InMemoryEventStorageEngine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class PromptEventStoreTest {

    private PromptEventStore store;

    @AfterEach
    void shutDown() {
        store.shutDown();
    }

    @Test
    void aCommitWakesTheStreamsConsumerLongBeforeAxonsHalfSecondPoll() throws Exception {
        store = new PromptEventStore(EmbeddedEventStore.builder().storageEngine(new InMemoryEventStorageEngine()),
                Duration.ofMinutes(1));
        TrackingEventStream stream = store.openStream(null);
        CountDownLatch woken = new CountDownLatch(1);
        assertThat(stream.setOnAvailableCallback(woken::countDown)).as("the callback is supported").isTrue();

        store.publish(GenericEventMessage.asEventMessage("payload"));

        assertThat(woken.await(250, TimeUnit.MILLISECONDS)).isTrue();
        assertThat(stream.hasNextAvailable(1, TimeUnit.SECONDS)).isTrue();
        stream.close();
    }

    @Test
    void streamsAreWokenPeriodicallyForOtherNodesEventsUntilClosed() {
        store = new PromptEventStore(EmbeddedEventStore.builder().storageEngine(new InMemoryEventStorageEngine()),
                Duration.ofMillis(20));
        TrackingEventStream stream = store.openStream(null);
        AtomicInteger wakes = new AtomicInteger();
        stream.setOnAvailableCallback(wakes::incrementAndGet);
        await().atMost(Duration.ofSeconds(2)).until(() -> wakes.get() >= 3);

        stream.close();
        int atClose = wakes.get();
        await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(1)).until(() -> wakes.get() <= atClose + 1);
    }
}

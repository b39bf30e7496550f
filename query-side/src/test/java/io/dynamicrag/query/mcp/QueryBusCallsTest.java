package io.dynamicrag.query.mcp;

import io.dynamicrag.query.search.SearchAdmission;
import org.axonframework.queryhandling.DefaultQueryGateway;
import org.axonframework.queryhandling.NoHandlerForQueryException;
import org.axonframework.queryhandling.QueryGateway;
import org.axonframework.queryhandling.SimpleQueryBus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** On a real (local) Axon query bus: what a tool makes of a handler's answer, refusal, failure or absence. */
class QueryBusCallsTest {

    record Probe(String text) {
    }

    private final SimpleQueryBus bus = SimpleQueryBus.builder().build();
    private final QueryGateway gateway = DefaultQueryGateway.builder().queryBus(bus).build();
    private final SearchAdmission admission = new SearchAdmission(new SearchAdmission.Settings(1, 1,
            Duration.ofSeconds(5), Duration.ofSeconds(10)));

    @AfterEach
    void closeAdmission() {
        admission.close();
    }

    private void handle(org.axonframework.messaging.MessageHandler<org.axonframework.queryhandling.QueryMessage<?, String>> handler) {
        bus.subscribe(Probe.class.getName(), String.class, handler);
    }

    @Test
    void shouldAnswerWhatTheHandlerAnswers() {
        handle(message -> "echo " + ((Probe) message.getPayload()).text());
        assertThat(QueryBusCalls.search(admission, gateway, new Probe("hi"), String.class).block()).isEqualTo("echo hi");
    }

    @Test
    void shouldTurnTheHandlersRefusalOfItsInputIntoAToolError() {
        handle(message -> {
            throw new IllegalArgumentException("as_of_version 9 does not exist");
        });
        assertThatThrownBy(() -> QueryBusCalls.search(admission, gateway, new Probe("x"), String.class).block())
                .isInstanceOf(ToolError.class).hasMessage("as_of_version 9 does not exist");
    }

    @Test
    void shouldKeepOtherFailuresInternal() {
        handle(message -> {
            throw new IllegalStateException("index file corrupt at /data/customers/...");
        });
        assertThatThrownBy(() -> QueryBusCalls.search(admission, gateway, new Probe("x"), String.class).block())
                .isNotInstanceOf(ToolError.class);
    }

    @Test
    void shouldLetTheCallerRecogniseAMissingHandler() {
        assertThatThrownBy(() -> QueryBusCalls.search(admission, gateway, new Probe("x"), String.class).block())
                .satisfies(e -> assertThat(QueryBusCalls.cause(e, NoHandlerForQueryException.class)).isNotNull());
    }

    @Test
    void shouldTellTheClientToTryAgainWhenTheSearchIsShed() throws InterruptedException {
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        handle(message -> {
            running.countDown();
            release.await(10, TimeUnit.SECONDS);
            return "slow";
        });
        Mono<String> first = QueryBusCalls.search(admission, gateway, new Probe("1"), String.class).cache();
        first.subscribe(answer -> { }, error -> { });
        assertThat(running.await(5, TimeUnit.SECONDS)).isTrue();
        Mono<String> queued = QueryBusCalls.search(admission, gateway, new Probe("2"), String.class).cache();
        queued.subscribe(answer -> { }, error -> { });
        try {
            assertThatThrownBy(() -> QueryBusCalls.search(admission, gateway, new Probe("3"), String.class).block())
                    .isInstanceOf(ToolError.class)
                    .hasMessageContaining("overloaded")
                    .hasMessageEndingWith("(in 1 s)");
        } finally {
            release.countDown();
        }
        assertThat(first.block(Duration.ofSeconds(5))).isEqualTo("slow");
        assertThat(queued.block(Duration.ofSeconds(5))).isEqualTo("slow");
    }
}

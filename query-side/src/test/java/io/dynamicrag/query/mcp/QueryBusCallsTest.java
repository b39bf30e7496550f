package io.dynamicrag.query.mcp;

import org.axonframework.queryhandling.DefaultQueryGateway;
import org.axonframework.queryhandling.NoHandlerForQueryException;
import org.axonframework.queryhandling.QueryGateway;
import org.axonframework.queryhandling.SimpleQueryBus;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** On a real (local) Axon query bus: what a tool makes of a handler's answer, refusal, failure or absence. */
class QueryBusCallsTest {

    record Probe(String text) {
    }

    private final SimpleQueryBus bus = SimpleQueryBus.builder().build();
    private final QueryGateway gateway = DefaultQueryGateway.builder().queryBus(bus).build();

    private void handle(org.axonframework.messaging.MessageHandler<org.axonframework.queryhandling.QueryMessage<?, String>> handler) {
        bus.subscribe(Probe.class.getName(), String.class, handler);
    }

    @Test
    void shouldAnswerWhatTheHandlerAnswers() {
        handle(message -> "echo " + ((Probe) message.getPayload()).text());
        assertThat(QueryBusCalls.query(gateway, new Probe("hi"), String.class).block()).isEqualTo("echo hi");
    }

    @Test
    void shouldTurnTheHandlersRefusalOfItsInputIntoAToolError() {
        handle(message -> {
            throw new IllegalArgumentException("as_of_version 9 does not exist");
        });
        assertThatThrownBy(() -> QueryBusCalls.query(gateway, new Probe("x"), String.class).block())
                .isInstanceOf(ToolError.class).hasMessage("as_of_version 9 does not exist");
    }

    @Test
    void shouldKeepOtherFailuresInternal() {
        handle(message -> {
            throw new IllegalStateException("index file corrupt at /data/customers/...");
        });
        assertThatThrownBy(() -> QueryBusCalls.query(gateway, new Probe("x"), String.class).block())
                .isNotInstanceOf(ToolError.class);
    }

    @Test
    void shouldLetTheCallerRecogniseAMissingHandler() {
        assertThatThrownBy(() -> QueryBusCalls.query(gateway, new Probe("x"), String.class).block())
                .satisfies(e -> assertThat(QueryBusCalls.cause(e, NoHandlerForQueryException.class)).isNotNull());
    }
}

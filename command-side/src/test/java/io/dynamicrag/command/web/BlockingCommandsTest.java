package io.dynamicrag.command.web;

import io.dynamicrag.kernel.audit.AuditContext;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.commandhandling.SimpleCommandBus;
import org.axonframework.commandhandling.gateway.DefaultCommandGateway;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Against Axon's own command bus and gateway: where the handler runs, what it gets, what comes back. */
class BlockingCommandsTest {

    record Ping(String text) {
    }

    private final AtomicReference<Thread> handlerThread = new AtomicReference<>();
    private final AtomicReference<CommandMessage<?>> handled = new AtomicReference<>();
    private BlockingCommands commands;

    @BeforeEach
    void setUp() {
        SimpleCommandBus bus = SimpleCommandBus.builder().build();
        bus.subscribe(Ping.class.getName(), message -> {
            handlerThread.set(Thread.currentThread());
            handled.set(message);
            Ping ping = (Ping) message.getPayload();
            if (ping.text().equals("fail")) {
                throw new IllegalStateException("refused");
            }
            return "pong " + ping.text();
        });
        commands = new BlockingCommands(DefaultCommandGateway.builder().commandBus(bus).build());
    }

    @Test
    void shouldMoveOffANonBlockingThreadBeforeTheHandlerRuns() {
        AtomicReference<Thread> subscriber = new AtomicReference<>();
        String result = Mono.defer(() -> {
                    subscriber.set(Thread.currentThread());
                    return commands.<String>send(new Ping("a"));
                })
                .subscribeOn(Schedulers.parallel())   // Reactor marks its parallel threads NonBlocking, as Netty's
                .block(Duration.ofSeconds(10));

        assertThat(result).isEqualTo("pong a");
        assertThat(subscriber.get().getName()).startsWith("parallel-");
        assertThat(handlerThread.get().getName()).startsWith("boundedElastic-");
    }

    @Test
    void shouldSendInPlaceOnAThreadThatMayBlock() {
        AtomicReference<Thread> subscriber = new AtomicReference<>();
        String result = Mono.defer(() -> {
                    subscriber.set(Thread.currentThread());
                    return commands.<String>send(new Ping("b"));
                })
                .subscribeOn(Schedulers.boundedElastic())
                .block(Duration.ofSeconds(10));

        assertThat(result).isEqualTo("pong b");
        assertThat(handlerThread.get()).isSameAs(subscriber.get());
    }

    @Test
    void shouldMoveOutOfTheCallersUnitOfWork() {
        DefaultUnitOfWork<?> outer = DefaultUnitOfWork.startAndGet(GenericEventMessage.asEventMessage("outer"));
        try {
            String result = commands.<String>send(new Ping("d")).block(Duration.ofSeconds(10));

            assertThat(result).isEqualTo("pong d");
            assertThat(handlerThread.get()).isNotSameAs(Thread.currentThread());
        } finally {
            outer.rollback();
        }
    }

    @Test
    void shouldCarryTheAuditContextAsMetaData() {
        commands.send(new Ping("c"))
                .contextWrite(context -> context.put(AuditContext.class, new AuditContext("user:42", "corr-1")))
                .subscribeOn(Schedulers.parallel())
                .block(Duration.ofSeconds(10));

        assertThat(handled.get().getMetaData())
                .containsEntry(AuditContext.ACTOR, "user:42")
                .containsEntry(AuditContext.CORRELATION_ID, "corr-1");
    }

    @Test
    void shouldSignalTheHandlersFailure() {
        Mono<Object> failing = commands.send(new Ping("fail")).subscribeOn(Schedulers.parallel());

        assertThatThrownBy(() -> failing.block(Duration.ofSeconds(10)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("refused");
    }
}

package io.dynamicrag.command.web;

import io.dynamicrag.kernel.audit.AuditContext;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.messaging.MetaData;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Sends a command and waits for its result off the event loop: command handlers write to PostgreSQL through JDBC,
 * which must never block a Netty thread. The request's {@link AuditContext} (actor, correlation id), when the HTTP
 * layer put one in the Reactor context, travels as the command's metadata into its events.
 *
 * <p>Only a subscriber on a non-blocking thread (a Netty or R2DBC event loop, Reactor's parallel scheduler: all
 * marked {@link reactor.core.scheduler.NonBlocking}) is moved to the bounded-elastic scheduler. One already on a
 * thread that may block and outside any Axon unit of work (bounded-elastic, as the ingestion path is after its
 * identity lookup) sends in place: another hop there would only add a task hand-off and a thread wake-up per command.
 *
 * <p>Axon's reactor extension ({@code ReactorCommandGateway}) would not remove that move: it dispatches in the
 * subscribing thread and our command bus (a {@code SimpleCommandBus}) runs the handler there, so it still needs
 * {@code subscribeOn}; its auto-configured gateway also lacks our concurrent-append retry scheduler (ARCHITECTURE.md,
 * "The accept path").
 */
@Component
public class BlockingCommands {

    private final CommandGateway gateway;

    public BlockingCommands(CommandGateway gateway) {
        this.gateway = gateway;
    }

    /**
     * An event loop must not block; a thread inside an Axon unit of work (an event handler) would make the command
     * a nested unit of work that commits with its caller's instead of on its own.
     */
    private static boolean mustMove() {
        return Schedulers.isInNonBlockingThread() || CurrentUnitOfWork.isStarted();
    }

    public <R> Mono<R> send(Object command) {
        return Mono.deferContextual(context -> {
            MetaData metaData = context.<AuditContext>getOrEmpty(AuditContext.class)
                    .map(audit -> MetaData.from(audit.metaData()))
                    .orElse(MetaData.emptyInstance());
            Mono<R> send = Mono.fromCallable(() -> gateway.<R>sendAndWait(command, metaData));
            return mustMove() ? send.subscribeOn(Schedulers.boundedElastic()) : send;
        });
    }
}

package io.dynamicrag.command.web;

import io.dynamicrag.kernel.audit.AuditContext;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.messaging.MetaData;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Sends a command and waits for its result off the event loop: command handlers write to PostgreSQL through JDBC,
 * which must never block a Netty thread. The request's {@link AuditContext} (actor, correlation id), when the HTTP
 * layer put one in the Reactor context, travels as the command's metadata into its events.
 */
@Component
public class BlockingCommands {

    private final CommandGateway gateway;

    public BlockingCommands(CommandGateway gateway) {
        this.gateway = gateway;
    }

    public <R> Mono<R> send(Object command) {
        return Mono.deferContextual(context -> {
            MetaData metaData = context.<AuditContext>getOrEmpty(AuditContext.class)
                    .map(audit -> MetaData.from(audit.metaData()))
                    .orElse(MetaData.emptyInstance());
            return Mono.fromCallable(() -> gateway.<R>sendAndWait(command, metaData))
                    .subscribeOn(Schedulers.boundedElastic());
        });
    }
}

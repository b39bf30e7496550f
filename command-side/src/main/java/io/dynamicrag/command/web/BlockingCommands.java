package io.dynamicrag.command.web;

import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Sends a command and waits for its result off the event loop: command handlers write to PostgreSQL through JDBC,
 * which must never block a Netty thread.
 */
@Component
public class BlockingCommands {

    private final CommandGateway gateway;

    public BlockingCommands(CommandGateway gateway) {
        this.gateway = gateway;
    }

    public <R> Mono<R> send(Object command) {
        return Mono.fromCallable(() -> gateway.<R>sendAndWait(command))
                .subscribeOn(Schedulers.boundedElastic());
    }
}

package io.dynamicrag.app.axon;

import io.dynamicrag.processing.pipeline.PipelineStep;
import org.axonframework.commandhandling.CommandCallback;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.commandhandling.GenericCommandResultMessage;
import org.axonframework.commandhandling.SimpleCommandBus;
import org.axonframework.messaging.MessageHandler;

/**
 * Runs pipeline steps (parse, chunk, embed, index) on the fair pipeline workers, taking turns between tenants, and
 * every other command in the caller's thread, as Axon's {@code SimpleCommandBus} does. Keeping the two apart means
 * a step that reports its result (a command to the Document aggregate, sent and awaited from the worker) never
 * waits for a worker thread, so a full pool cannot deadlock.
 */
public class PipelineAwareCommandBus extends SimpleCommandBus {

    private final FairLaneExecutor pipeline;

    PipelineAwareCommandBus(SimpleCommandBus.Builder builder, FairLaneExecutor pipeline) {
        super(builder);
        this.pipeline = pipeline;
    }

    @Override
    protected <C, R> void handle(CommandMessage<C> command, MessageHandler<? super CommandMessage<?>> handler,
                                 CommandCallback<? super C, ? super R> callback) {
        if (command.getPayload() instanceof PipelineStep step) {
            pipeline.execute("tenant:" + step.tenantId(), () -> {
                try {
                    super.handle(command, handler, callback);
                } catch (RuntimeException e) {
                    // SimpleCommandBus begins the unit of work's transaction outside its own error handling: one
                    // that cannot begin (PostgreSQL away) escaped here and left the sender's future pending for
                    // good, so the document was never sent again (PostgresRestartIntegrationTest)
                    callback.onResult(command, GenericCommandResultMessage.asCommandResultMessage(e));
                }
            });
        } else {
            super.handle(command, handler, callback);
        }
    }
}

package io.dynamicrag.app.axon;

import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.Message;
import org.axonframework.messaging.annotation.HandlerEnhancerDefinition;
import org.axonframework.messaging.annotation.MessageHandlingMember;
import org.axonframework.messaging.annotation.WrappedMessageHandlingMember;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.util.Set;

/**
 * Runs each event handler of the JDBC projections that have a dead-letter queue inside a savepoint.
 *
 * <p>Why: PostgreSQL aborts the whole transaction at the first failed statement. Without a savepoint, a projection
 * handler that fails (a constraint, a bad value) leaves the event processor's transaction unusable, so Axon cannot
 * write the dead letter nor the token: the processor falls into retry mode and stops for every tenant. Rolled back
 * to the savepoint, only the failed event's changes are undone and the dead-letter queue parks it (and the later
 * events of the same document) while every other document keeps flowing.
 */
class SavepointPerEvent implements HandlerEnhancerDefinition {

    private final Set<String> processingGroups;
    private final TransactionTemplate nested;

    SavepointPerEvent(PlatformTransactionManager transactions, Set<String> processingGroups) {
        this.processingGroups = processingGroups;
        this.nested = new TransactionTemplate(transactions);
        this.nested.setPropagationBehavior(TransactionDefinition.PROPAGATION_NESTED);
    }

    @Override
    public <T> MessageHandlingMember<T> wrapHandler(MessageHandlingMember<T> original) {
        ProcessingGroup group = original.declaringClass().getAnnotation(ProcessingGroup.class);
        if (group == null || !processingGroups.contains(group.value())
                || !original.canHandleMessageType(EventMessage.class)) {
            return original;
        }
        return new WrappedMessageHandlingMember<>(original) {
            @Override
            public Object handle(Message<?> message, T target) throws Exception {
                if (!TransactionSynchronizationManager.isActualTransactionActive()) {
                    return super.handle(message, target);
                }
                try {
                    return nested.execute(status -> {
                        try {
                            return super.handle(message, target);
                        } catch (RuntimeException e) {
                            throw e;
                        } catch (Exception e) {
                            throw new CheckedFailure(e);
                        }
                    });
                } catch (CheckedFailure e) {
                    throw e.checked;
                }
            }
        };
    }

    /** Carries a checked exception through the template (which rolls back to the savepoint on it). */
    private static final class CheckedFailure extends RuntimeException {

        private final Exception checked;

        CheckedFailure(Exception checked) {
            super(checked);
            this.checked = checked;
        }
    }
}

package io.dynamicrag.app.audit;

import io.dynamicrag.kernel.audit.AuditContext;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.messaging.Message;
import org.axonframework.messaging.correlation.CorrelationDataProvider;

import java.util.HashMap;
import java.util.Map;

/**
 * Which audit metadata a message hands on to the messages produced while handling it. The correlation id follows
 * the whole chain (request -> command -> event -> pipeline handler -> step commands -> their events), so an auditor
 * can group a document's pipeline with the request that started it. The actor passes only from a command to the events it
 * produces: a pipeline step that the pipeline handler starts is the system's doing, not the tenant's.
 */
class AuditCorrelationDataProvider implements CorrelationDataProvider {

    @Override
    public Map<String, ?> correlationDataFor(Message<?> message) {
        Map<String, Object> data = new HashMap<>();
        Object correlationId = message.getMetaData().get(AuditContext.CORRELATION_ID);
        if (correlationId != null) {
            data.put(AuditContext.CORRELATION_ID, correlationId);
        }
        Object actor = message.getMetaData().get(AuditContext.ACTOR);
        if (actor != null && message instanceof CommandMessage) {
            data.put(AuditContext.ACTOR, actor);
        }
        return data;
    }
}

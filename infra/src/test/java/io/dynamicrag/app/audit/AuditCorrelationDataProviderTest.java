package io.dynamicrag.app.audit;

import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.messaging.MetaData;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class AuditCorrelationDataProviderTest {

    private final AuditCorrelationDataProvider provider = new AuditCorrelationDataProvider();
    private final MetaData audit = MetaData.from(Map.of("actor", "tenant:t-1", "correlation_id", "req-1",
            "webhook_id", "w-1"));

    @Test
    void aCommandHandsItsActorAndCorrelationToItsEvents() {
        var command = GenericCommandMessage.asCommandMessage("a command").andMetaData(audit);
        assertThat(provider.correlationDataFor(command))
                .isEqualTo(Map.of("actor", "tenant:t-1", "correlation_id", "req-1"));
    }

    @Test
    void anEventHandsOnlyTheCorrelationToTheCommandsASagaSends() {
        var event = GenericEventMessage.asEventMessage("an event").andMetaData(audit);
        assertThat(provider.correlationDataFor(event)).isEqualTo(Map.of("correlation_id", "req-1"));
    }

    @Test
    void aMessageWithoutAuditMetadataHandsOnNothing() {
        assertThat(provider.correlationDataFor(GenericEventMessage.asEventMessage("system work"))).isEmpty();
    }

    @Test
    void aClientsCorrelationIdIsKeptOnlyWhenItIsAShortPlainToken() {
        assertThat(AuditContextFilter.correlationId("n8n-run_42:step.3")).isEqualTo("n8n-run_42:step.3");
        for (String refused : new String[] {null, "", "a b", "x".repeat(65), "<script>", "line\nbreak"}) {
            String made = AuditContextFilter.correlationId(refused);
            assertThat(UUID.fromString(made).toString()).isEqualTo(made);
        }
    }
}

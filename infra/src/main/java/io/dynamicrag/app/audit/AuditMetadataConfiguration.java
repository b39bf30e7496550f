package io.dynamicrag.app.audit;

import org.axonframework.messaging.correlation.CorrelationDataProvider;
import org.axonframework.messaging.correlation.MessageOriginProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Axon's correlation data providers. Declaring any provider bean switches off Axon's default one, so Axon's
 * {@link MessageOriginProvider} (correlationId = direct cause, traceId = root message) is declared here as well.
 */
@Configuration
class AuditMetadataConfiguration {

    @Bean
    CorrelationDataProvider messageOriginProvider() {
        return new MessageOriginProvider();
    }

    @Bean
    CorrelationDataProvider auditCorrelationDataProvider() {
        return new AuditCorrelationDataProvider();
    }
}

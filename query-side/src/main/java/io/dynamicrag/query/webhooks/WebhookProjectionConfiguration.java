package io.dynamicrag.query.webhooks;

import org.axonframework.config.ConfigurerModule;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The webhook projection is subscribing, like the tenant projection and for the same reason (read-your-write for
 * the API, few events). Registered here rather than in application.yml so the choice lives with the projection.
 */
@Configuration
class WebhookProjectionConfiguration {

    @Bean
    ConfigurerModule webhookProjectionIsSubscribing() {
        return configurer -> configurer.eventProcessing(processing ->
                processing.registerSubscribingEventProcessor(WebhookProjection.PROCESSING_GROUP));
    }
}

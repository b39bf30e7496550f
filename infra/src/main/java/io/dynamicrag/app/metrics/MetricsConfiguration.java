package io.dynamicrag.app.metrics;

import org.axonframework.config.ConfigurerModule;
import org.axonframework.messaging.StreamableMessageSource;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration
class MetricsConfiguration {

    /** Metrics describe what happens from now on: a first start must not count the whole history. */
    @Bean
    ConfigurerModule pipelineMetricsStartAtHead() {
        return configurer -> configurer.eventProcessing(processing -> processing.registerPooledStreamingEventProcessor(
                PipelineMetrics.PROCESSING_GROUP,
                org.axonframework.config.Configuration::eventStore,
                // counters in memory: a batch of events per transaction costs one token update instead of one each
                (axon, builder) -> builder.initialToken(StreamableMessageSource::createHeadToken).batchSize(32)));
    }
}

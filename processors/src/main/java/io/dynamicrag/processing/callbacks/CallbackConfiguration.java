package io.dynamicrag.processing.callbacks;

import io.dynamicrag.kernel.web.OutboundUrlPolicy;
import io.dynamicrag.kernel.webhooks.WebhookCallbackTargets;
import io.dynamicrag.processing.fetch.OutboundUrlPolicyAdapter;
import io.dynamicrag.processing.fetch.SafeHttpFetcher;
import io.dynamicrag.processing.fetch.SafeHttpPoster;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.messaging.StreamableMessageSource;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Clock;
import java.time.Duration;

/**
 * Outbound calls to tenants' URLs share URL ingestion's address policy (and its allow-list,
 * {@code rag.fetch.allowed-cidrs}). The callback processor is tracking and starts at the head of the event store
 * the first time it runs: it is about documents delivered from now on, not the history.
 */
@Configuration
class CallbackConfiguration {

    /** Asked by the command side when a callback_url is registered. */
    @Bean
    OutboundUrlPolicy outboundUrlPolicy(SafeHttpFetcher fetcher) {
        return new OutboundUrlPolicyAdapter(fetcher.policy());
    }

    @Bean
    @ConditionalOnProperty(name = "rag.roles.worker", havingValue = "true", matchIfMissing = true)
    CallbackSettings callbackSettings(@Value("${rag.webhooks.callback.max-attempts:3}") int maxAttempts,
                                      @Value("${rag.webhooks.callback.base-delay:PT2S}") Duration baseDelay,
                                      @Value("${rag.webhooks.callback.connect-timeout:PT5S}") Duration connectTimeout,
                                      @Value("${rag.webhooks.callback.timeout:PT10S}") Duration timeout,
                                      @Value("${rag.webhooks.callback.threads:2}") int threads) {
        return new CallbackSettings(maxAttempts, baseDelay, connectTimeout, timeout, threads);
    }

    @Bean(destroyMethod = "close")
    @ConditionalOnProperty(name = "rag.roles.worker", havingValue = "true", matchIfMissing = true)
    SafeHttpPoster callbackPoster(SafeHttpFetcher fetcher, CallbackSettings settings) {
        return new SafeHttpPoster(fetcher.policy(), new SafeHttpPoster.Settings(settings.connectTimeout(),
                settings.timeout(), null));
    }

    @Bean(destroyMethod = "close")
    @ConditionalOnProperty(name = "rag.roles.worker", havingValue = "true", matchIfMissing = true)
    CallbackSender callbackSender(WebhookCallbackTargets targets, SafeHttpPoster callbackPoster,
                                  CallbackDeliveryLog deliveries, CallbackSettings settings) {
        return new CallbackSender(targets, callbackPoster, deliveries, settings, Clock.systemUTC());
    }

    @Bean
    @ConditionalOnProperty(name = "rag.roles.worker", havingValue = "true", matchIfMissing = true)
    ConfigurerModule completionCallbacksStartAtHead() {
        return configurer -> configurer.eventProcessing(processing -> processing.registerPooledStreamingEventProcessor(
                CompletionCallbacks.PROCESSING_GROUP,
                org.axonframework.config.Configuration::eventStore,
                (axon, builder) -> builder.initialToken(StreamableMessageSource::createHeadToken)));
    }
}

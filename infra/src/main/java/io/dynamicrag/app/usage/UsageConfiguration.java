package io.dynamicrag.app.usage;

import io.dynamicrag.kernel.usage.UsageMeter;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Clock;
import java.time.Duration;

@Configuration
class UsageConfiguration {

    @Bean
    BufferedUsageMeter usageMeter(CommandGateway commands,
                                  @Value("${rag.usage.flush-interval:PT5S}") Duration flushInterval) {
        return new BufferedUsageMeter(commands, flushInterval, Clock.systemUTC());
    }
}

package io.dynamicrag.app.idempotency;

import io.lettuce.core.api.StatefulRedisConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Clock;
import java.time.Duration;

/**
 * Chooses where idempotency records live: Redis when {@code REDIS_URL} is set (a retry may reach any node), else
 * this process (logged once at start-up). Same condition as {@code RedisConfiguration}, on the property itself.
 */
@Configuration
@EnableConfigurationProperties(IdempotencyConfiguration.IdempotencyProperties.class)
public class IdempotencyConfiguration {

    private static final Logger log = LoggerFactory.getLogger(IdempotencyConfiguration.class);

    /**
     * {@code rag.idempotency.*}.
     *
     * @param ttl   how long a completed request's response is replayed for its key
     * @param lease how long a key stays claimed by a request that has not finished (a crashed node's claim lapses)
     */
    @ConfigurationProperties("rag.idempotency")
    public record IdempotencyProperties(@DefaultValue("PT24H") Duration ttl, @DefaultValue("PT2M") Duration lease) {

        public IdempotencyProperties {
            if (ttl.isNegative() || ttl.isZero() || lease.isNegative() || lease.isZero()) {
                throw new IllegalArgumentException("rag.idempotency.ttl and rag.idempotency.lease must be positive");
            }
        }
    }

    @Bean
    @ConditionalOnExpression("!'${rag.redis.url:}'.isBlank()")
    IdempotencyStore redisIdempotencyStore(StatefulRedisConnection<String, String> redisConnection) {
        return new RedisIdempotencyStore(redisConnection);
    }

    @Bean
    @ConditionalOnExpression("'${rag.redis.url:}'.isBlank()")
    IdempotencyStore inMemoryIdempotencyStore() {
        log.warn("Idempotency keys are remembered per process because Redis is not configured (set REDIS_URL so "
                + "that a retry reaching another node, or arriving after a restart, is recognised)");
        return new InMemoryIdempotencyStore(Clock.systemUTC());
    }
}

package io.dynamicrag.app.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * One Lettuce connection (thread-safe, multiplexed) to the Redis named by {@code REDIS_URL}. Rate limits, token
 * revocation and refresh-token families live there so that every node sees the same state. Without
 * {@code REDIS_URL} no connection is made and those components use their in-process fallbacks.
 *
 * <p>While Redis is unreachable ({@code scripts/drill.sh redis}) every caller has an answer for a failed command
 * (the rate limiter and the idempotency store fail open, JWT checks answer 503), so commands fail at once instead
 * of queueing for the reconnect: Lettuce's default held each one for the 5 s command timeout, which made every
 * ingest with an Idempotency-Key take 5.6 s and every JWT request a 500 after 5 s during an outage, and replayed
 * the queued commands (rate-limit increments included) once Redis was back. Reconnect attempts are at most
 * {@link #MAX_RECONNECT_DELAY} apart (Lettuce's default backs off to 30 s, so service stayed degraded for up to
 * 30 s after Redis had returned).
 */
@Configuration
@ConditionalOnExpression("!'${rag.redis.url:}'.isBlank()")
public class RedisConfiguration {

    static final Duration MAX_RECONNECT_DELAY = Duration.ofSeconds(1);

    private static final Logger log = LoggerFactory.getLogger(RedisConfiguration.class);

    @Bean(destroyMethod = "shutdown")
    public ClientResources redisClientResources() {
        return ClientResources.builder()
                .reconnectDelay(Delay.exponential(Duration.ofMillis(50), MAX_RECONNECT_DELAY, 2,
                        TimeUnit.MILLISECONDS))
                .build();
    }

    @Bean(destroyMethod = "shutdown")
    public RedisClient redisClient(@Value("${rag.redis.url}") String url, ClientResources resources) {
        RedisURI uri = RedisURI.create(url);
        uri.setTimeout(Duration.ofSeconds(5));
        log.info("Redis: {}:{} (database {})", uri.getHost(), uri.getPort(), uri.getDatabase());
        RedisClient client = RedisClient.create(resources, uri);
        client.setOptions(clientOptions());
        return client;
    }

    static ClientOptions clientOptions() {
        return ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .build();
    }

    @Bean(destroyMethod = "close")
    public StatefulRedisConnection<String, String> redisConnection(RedisClient client) {
        return client.connect();
    }
}

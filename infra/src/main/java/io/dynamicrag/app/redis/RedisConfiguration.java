package io.dynamicrag.app.redis;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Duration;

/**
 * One Lettuce connection (thread-safe, multiplexed) to the Redis named by {@code REDIS_URL}. Rate limits, token
 * revocation and refresh-token families live there so that every node sees the same state. Without
 * {@code REDIS_URL} no connection is made and those components use their in-process fallbacks.
 */
@Configuration
@ConditionalOnExpression("!'${rag.redis.url:}'.isBlank()")
public class RedisConfiguration {

    private static final Logger log = LoggerFactory.getLogger(RedisConfiguration.class);

    @Bean(destroyMethod = "shutdown")
    public RedisClient redisClient(@Value("${rag.redis.url}") String url) {
        RedisURI uri = RedisURI.create(url);
        uri.setTimeout(Duration.ofSeconds(5));
        log.info("Redis: {}:{} (database {})", uri.getHost(), uri.getPort(), uri.getDatabase());
        return RedisClient.create(uri);
    }

    @Bean(destroyMethod = "close")
    public StatefulRedisConnection<String, String> redisConnection(RedisClient client) {
        return client.connect();
    }
}

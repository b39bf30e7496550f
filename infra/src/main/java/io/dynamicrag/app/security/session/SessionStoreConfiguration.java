package io.dynamicrag.app.security.session;

import io.dynamicrag.command.tenancy.auth.InMemorySessionStore;
import io.dynamicrag.command.tenancy.auth.SessionStore;
import io.lettuce.core.api.StatefulRedisConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Clock;

/** Redis when REDIS_URL is set; otherwise a per-process store, announced loudly. */
@Configuration
public class SessionStoreConfiguration {

    private static final Logger log = LoggerFactory.getLogger(SessionStoreConfiguration.class);

    @Bean
    SessionStore sessionStore(ObjectProvider<StatefulRedisConnection<String, String>> redis) {
        StatefulRedisConnection<String, String> connection = redis.getIfAvailable();
        if (connection != null) {
            return new RedisSessionStore(connection);
        }
        log.warn("REDIS_URL is not set: login sessions and token revocation are kept in this process only. "
                + "Fine for a single node; set REDIS_URL before running more than one.");
        return new InMemorySessionStore(Clock.systemUTC());
    }
}

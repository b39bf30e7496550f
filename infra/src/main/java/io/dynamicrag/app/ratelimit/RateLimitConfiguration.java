package io.dynamicrag.app.ratelimit;

import io.dynamicrag.command.tenancy.auth.LoginAttempts;
import io.lettuce.core.api.StatefulRedisConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Clock;
import java.time.Duration;

/**
 * Chooses where rate-limit counters live: Redis when {@code REDIS_URL} is set (shared by every node), else this
 * process (logged once at start-up, since a cluster would then admit the limit once per node). Same condition as
 * {@code RedisConfiguration}, on the property itself rather than on bean ordering.
 */
@Configuration
@EnableConfigurationProperties({RateLimitConfiguration.RateLimitProperties.class,
        RateLimitConfiguration.LoginThrottleProperties.class})
public class RateLimitConfiguration {

    private static final Logger log = LoggerFactory.getLogger(RateLimitConfiguration.class);

    /**
     * {@code rag.rate-limit.*}.
     *
     * @param configCacheTtl how long a tenant's limits read from {@code customer_config} are cached
     * @param timeout        a limiter call slower than this counts as failed (the tenant filter then fails open)
     */
    @ConfigurationProperties("rag.rate-limit")
    public record RateLimitProperties(@DefaultValue("PT5S") Duration configCacheTtl,
                                      @DefaultValue("PT0.5S") Duration timeout) {
    }

    /** {@code rag.auth.login-throttle.*}: attempts per email and per client address in one fixed window. */
    @ConfigurationProperties("rag.auth.login-throttle")
    public record LoginThrottleProperties(@DefaultValue("10") long perEmail, @DefaultValue("100") long perAddress,
                                          @DefaultValue("PT15M") Duration window) {
    }

    /**
     * The clock the windows are computed from: a {@link Clock} bean where the context has one (integration tests
     * hold theirs inside one minute rather than wait for the next), else the system clock in UTC.
     */
    private static Clock clock(ObjectProvider<Clock> clock) {
        return clock.getIfAvailable(Clock::systemUTC);
    }

    @Bean
    @ConditionalOnExpression("!'${rag.redis.url:}'.isBlank()")
    RateLimiter redisRateLimiter(StatefulRedisConnection<String, String> redisConnection, ObjectProvider<Clock> clock) {
        return new RedisRateLimiter(redisConnection, clock(clock));
    }

    @Bean
    @ConditionalOnExpression("'${rag.redis.url:}'.isBlank()")
    RateLimiter inMemoryRateLimiter(ObjectProvider<Clock> clock) {
        log.warn("Rate limits and login throttling are counted per process because Redis is not configured "
                + "(set REDIS_URL to share them across nodes)");
        return new InMemoryRateLimiter(clock(clock));
    }

    @Bean
    LoginAttempts loginAttempts(RateLimiter limiter, LoginThrottleProperties throttle, RateLimitProperties limits,
                                ObjectProvider<Clock> clock) {
        // With Redis, an in-process limiter stands in while Redis is unreachable (throttling degrades to per node
        // instead of switching off); without Redis the in-process limiter is the limiter.
        RateLimiter fallback = limiter instanceof InMemoryRateLimiter
                ? limiter : new InMemoryRateLimiter(clock(clock));
        return new RateLimitedLoginAttempts(limiter, fallback, throttle.perEmail(), throttle.perAddress(),
                throttle.window(), limits.timeout());
    }
}

package io.dynamicrag.app.security.session;

import io.dynamicrag.command.tenancy.auth.SessionStore;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.reactive.RedisReactiveCommands;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Sessions in Redis, shared by every node. Refresh tokens are hashes keyed by the token's SHA-256
 * ({@code rag:rt:<hash>}); consuming one is a Lua script, so two concurrent refreshes with the same token cannot
 * both see it fresh. Revocations are keys that expire when what they revoke would have expired anyway.
 */
public class RedisSessionStore implements SessionStore {

    /** Returns nil when unknown, else {used-before, sid, tenant, email} and marks the token used. */
    private static final String CONSUME = """
            local fields = redis.call('HMGET', KEYS[1], 'used', 'sid', 'tenant', 'email')
            if not fields[2] then return nil end
            redis.call('HSET', KEYS[1], 'used', '1')
            return {fields[1] or '0', fields[2], fields[3], fields[4]}
            """;

    private final RedisReactiveCommands<String, String> redis;

    public RedisSessionStore(StatefulRedisConnection<String, String> connection) {
        this.redis = connection.reactive();
    }

    @Override
    public Mono<Void> saveRefreshToken(String tokenHash, RefreshTokenRecord record, Duration ttl) {
        String key = refreshKey(tokenHash);
        return redis.hset(key, Map.of("used", "0", "sid", record.sessionId(), "tenant", record.tenantId(),
                        "email", record.email()))
                .then(redis.expire(key, ttl))
                .then();
    }

    @Override
    public Mono<Consumption> consumeRefreshToken(String tokenHash) {
        return redis.<List<Object>>eval(CONSUME, ScriptOutputType.MULTI, refreshKey(tokenHash))
                .next()
                // Lettuce turns the script's nil into a one-element list [null]: that is an unknown token
                .filter(values -> values.size() == 4 && values.get(1) != null)
                .map(values -> {
                    RefreshTokenRecord record = new RefreshTokenRecord(text(values.get(1)), text(values.get(2)),
                            text(values.get(3)));
                    boolean used = "1".equals(text(values.get(0)));
                    return new Consumption(used ? Consumption.State.REUSED : Consumption.State.FRESH, record);
                })
                .defaultIfEmpty(Consumption.unknown());
    }

    @Override
    public Mono<Void> revokeSession(String sessionId, Duration ttl) {
        return redis.setex("rag:revoked-session:" + sessionId, ttl.toSeconds(), "1").then();
    }

    @Override
    public Mono<Boolean> isSessionRevoked(String sessionId) {
        return redis.exists("rag:revoked-session:" + sessionId).map(n -> n > 0);
    }

    @Override
    public Mono<Void> revokeAccessToken(String tokenId, Duration ttl) {
        return redis.setex("rag:revoked-token:" + tokenId, ttl.toSeconds(), "1").then();
    }

    @Override
    public Mono<Boolean> isAccessTokenRevoked(String tokenId) {
        return redis.exists("rag:revoked-token:" + tokenId).map(n -> n > 0);
    }

    private static String refreshKey(String tokenHash) {
        return "rag:rt:" + tokenHash;
    }

    private static String text(Object value) {
        if (value instanceof java.nio.ByteBuffer buffer) {
            return java.nio.charset.StandardCharsets.UTF_8.decode(buffer).toString();
        }
        return value == null ? null : value.toString();
    }
}

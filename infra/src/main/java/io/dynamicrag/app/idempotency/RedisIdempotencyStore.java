package io.dynamicrag.app.idempotency;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import reactor.core.publisher.Mono;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Idempotency records in Redis, shared by every node. One string per (scope, key) holding a small JSON document;
 * Redis expires it ({@code PX}): the lease of an in-progress record, the TTL of a completed one.
 *
 * <p>Keys: {@code rag:idem:{<scope>}:<sha256 hex of the Idempotency-Key>}. The client's key is hashed so that any
 * printable key makes a well-formed Redis key of fixed length; the scope is a Redis Cluster hash tag (braces inside
 * it are replaced by parentheses).
 *
 * <p>Each operation is one Lua script, so it is atomic: the claim is {@code SET NX PX} and returns what holds the
 * key when that fails (no window between a failed {@code SET} and a {@code GET} in which the holder could vanish);
 * complete and release compare the current value with the caller's in-progress value (which carries a random
 * token) before writing or deleting.
 */
public class RedisIdempotencyStore implements IdempotencyStore {

    static final String KEY_PREFIX = "rag:idem:";

    /** KEYS[1]; ARGV[1] the in-progress value; ARGV[2] the lease in ms. Returns nil when claimed, else the holder. */
    static final String CLAIM = """
            if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
              return false
            end
            return redis.call('GET', KEYS[1])
            """;

    /** ARGV[1] the caller's in-progress value; ARGV[2] the completed value; ARGV[3] its TTL in ms. */
    static final String COMPLETE = """
            local current = redis.call('GET', KEYS[1])
            if current and current ~= ARGV[1] then
              return 0
            end
            redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
            return 1
            """;

    /** ARGV[1] the caller's in-progress value. */
    static final String RELEASE = """
            if redis.call('GET', KEYS[1]) == ARGV[1] then
              redis.call('DEL', KEYS[1])
              return 1
            end
            return 0
            """;

    private static final ObjectMapper JSON = new ObjectMapper()
            .setSerializationInclusion(JsonInclude.Include.NON_NULL);

    private final RedisAsyncCommands<String, String> redis;
    private final Script claim = new Script(CLAIM);
    private final Script complete = new Script(COMPLETE);
    private final Script release = new Script(RELEASE);

    public RedisIdempotencyStore(StatefulRedisConnection<String, String> connection) {
        this.redis = connection.async();
    }

    /**
     * The stored JSON. {@code state} is {@code IN_PROGRESS} (with {@code token}) or {@code COMPLETED} (with
     * {@code status}, {@code headers} and {@code body} in base64).
     */
    record Record(String state, String fingerprint, String token, Integer status,
                  Map<String, List<String>> headers, String body) {

        static final String IN_PROGRESS = "IN_PROGRESS";
        static final String COMPLETED = "COMPLETED";
    }

    @Override
    public Mono<Claim> claim(Key key, String fingerprint, Duration lease) {
        String token = UUID.randomUUID().toString();
        String value = inProgress(fingerprint, token);
        return claim.<String>run(ScriptOutputType.VALUE, new String[] {redisKey(key)},
                        value, Long.toString(positiveMillis(lease)))
                .map(holder -> decode(holder))
                .defaultIfEmpty(new Claimed(new Lease(key, fingerprint, token)));
    }

    @Override
    public Mono<Boolean> complete(Lease lease, StoredResponse response, Duration ttl) {
        Record record = new Record(Record.COMPLETED, response.fingerprint(), null, response.status(),
                response.headers(), Base64.getEncoder().encodeToString(response.body()));
        return complete.<Long>run(ScriptOutputType.INTEGER, new String[] {redisKey(lease.key())},
                        inProgress(lease.fingerprint(), lease.token()), write(record),
                        Long.toString(positiveMillis(ttl)))
                .map(stored -> stored == 1L)
                .defaultIfEmpty(false);
    }

    @Override
    public Mono<Boolean> release(Lease lease) {
        return release.<Long>run(ScriptOutputType.INTEGER, new String[] {redisKey(lease.key())},
                        inProgress(lease.fingerprint(), lease.token()))
                .map(released -> released == 1L)
                .defaultIfEmpty(false);
    }

    /** {@code rag:idem:{<scope>}:<sha256 hex of the key>}. */
    static String redisKey(Key key) {
        String tag = key.scope().replace('{', '(').replace('}', ')');
        return KEY_PREFIX + "{" + tag + "}:" + sha256Hex(key.value());
    }

    /** The exact string an in-progress record is stored as (complete and release compare against it). */
    private static String inProgress(String fingerprint, String token) {
        return write(new Record(Record.IN_PROGRESS, fingerprint, token, null, null, null));
    }

    private static Claim decode(String value) {
        Record record;
        try {
            record = JSON.readValue(value, Record.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Unreadable idempotency record in Redis", e);
        }
        if (Record.COMPLETED.equals(record.state())) {
            byte[] body = record.body() == null ? new byte[0] : Base64.getDecoder().decode(record.body());
            return new Completed(new StoredResponse(record.fingerprint(),
                    record.status() == null ? 200 : record.status(), record.headers(), body));
        }
        return new InProgress(record.fingerprint());
    }

    private static String write(Record record) {
        try {
            return JSON.writeValueAsString(record);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long positiveMillis(Duration duration) {
        return Math.max(1, duration.toMillis());
    }

    static String sha256Hex(String text) {
        try {
            return HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A Lua script run by digest ({@code EVALSHA}), loaded on first use and again after a NOSCRIPT. */
    private final class Script {

        private final String source;
        private final AtomicReference<String> sha = new AtomicReference<>();

        Script(String source) {
            this.source = source;
        }

        <T> Mono<T> run(ScriptOutputType type, String[] keys, String... args) {
            return run(type, keys, args, false);
        }

        private <T> Mono<T> run(ScriptOutputType type, String[] keys, String[] args, boolean reload) {
            return digest(reload)
                    .flatMap(digest -> Mono.fromCompletionStage(() -> redis.<T>evalsha(digest, type, keys, args)))
                    .onErrorResume(RedisNoScriptException.class, e -> reload ? Mono.error(e)
                            : run(type, keys, args, true));
        }

        private Mono<String> digest(boolean reload) {
            String known = sha.get();
            if (known != null && !reload) {
                return Mono.just(known);
            }
            return Mono.fromCompletionStage(() -> redis.scriptLoad(source)).doOnNext(sha::set);
        }
    }
}

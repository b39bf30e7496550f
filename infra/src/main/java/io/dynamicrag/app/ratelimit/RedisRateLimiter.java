package io.dynamicrag.app.ratelimit;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import reactor.core.publisher.Mono;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Fixed-window counters in Redis, shared by every node. One Lua script checks and increments all windows of a
 * bucket atomically (Redis runs a script without interleaving any other command), so concurrent requests on any
 * number of nodes can never admit more than the limit, and a rejected request increments nothing.
 *
 * <p>Keys: {@code rl:{<bucket>}:<window size in seconds>:<window start, epoch seconds>}. The braces are a Redis
 * Cluster hash tag, so all windows of one bucket live in one slot, as a multi-key script requires. Braces inside the
 * bucket itself are replaced by parentheses so that they cannot cut the hash tag short.
 *
 * <p>Clock: window starts are computed here, from the application's {@link Clock}, and passed in as key names,
 * rather than read from Redis {@code TIME} inside the script. The keys are then deterministic (tests move an injected
 * clock to roll windows over) and the script stays trivially correct. The price is that nodes must keep their clocks
 * in sync (NTP): a node that is off by {@code d} seconds counts its first/last {@code d} seconds of a window into the
 * neighbouring window. Expiry is relative ({@code EXPIRE}, window length plus a margin), so it does not depend on
 * the clocks agreeing.
 */
public class RedisRateLimiter implements RateLimiter {

    /** Keys outlive their window by this much, so that late status reads near the boundary still find them. */
    static final long EXPIRY_MARGIN_SECONDS = 60;
    private static final long SCAN_BATCH = 500;

    /**
     * KEYS[i]: counter of window i. ARGV[2i-1]: its limit; ARGV[2i]: its time to live in seconds.
     * Returns {allowed (1|0), count of window 1, ..., count of window n}: the counts after the increment when
     * allowed, the unchanged counts when not.
     */
    static final String SCRIPT = """
            local counts = {}
            local allowed = 1
            for i = 1, #KEYS do
              local c = tonumber(redis.call('GET', KEYS[i]) or '0')
              counts[i] = c
              if c >= tonumber(ARGV[2 * i - 1]) then
                allowed = 0
              end
            end
            if allowed == 1 then
              for i = 1, #KEYS do
                counts[i] = redis.call('INCR', KEYS[i])
                if counts[i] == 1 then
                  redis.call('EXPIRE', KEYS[i], ARGV[2 * i])
                end
              end
            end
            table.insert(counts, 1, allowed)
            return counts
            """;

    private final RedisAsyncCommands<String, String> redis;
    private final Clock clock;
    /** Digest of the loaded script (package-private so a test can simulate a Redis that forgot it). */
    final AtomicReference<String> sha = new AtomicReference<>();

    public RedisRateLimiter(StatefulRedisConnection<String, String> connection, Clock clock) {
        this.redis = connection.async();
        this.clock = clock;
    }

    @Override
    public Mono<Decision> acquire(String bucket, List<Window> windows) {
        Window.validate(bucket, windows);
        Instant now = clock.instant();
        String[] keys = keys(bucket, windows, now);
        String[] args = new String[windows.size() * 2];
        for (int i = 0; i < windows.size(); i++) {
            args[2 * i] = Long.toString(windows.get(i).limit());
            args[2 * i + 1] = Long.toString(windows.get(i).sizeSeconds() + EXPIRY_MARGIN_SECONDS);
        }
        return evalsha(keys, args, false).map(reply -> {
            if (reply.size() != windows.size() + 1) {
                throw new IllegalStateException("Unexpected rate-limit script reply: " + reply);
            }
            long[] counts = new long[windows.size()];
            for (int i = 0; i < counts.length; i++) {
                counts[i] = ((Number) reply.get(i + 1)).longValue();
            }
            return Decision.of(((Number) reply.get(0)).longValue() == 1, windows, counts, now);
        });
    }

    @Override
    public Mono<List<WindowStatus>> status(String bucket, List<Window> windows) {
        Window.validate(bucket, windows);
        Instant now = clock.instant();
        String[] keys = keys(bucket, windows, now);
        return Mono.fromCompletionStage(() -> redis.mget(keys)).map(values -> {
            List<WindowStatus> result = new ArrayList<>(windows.size());
            for (int i = 0; i < windows.size(); i++) {
                KeyValue<String, String> value = values.get(i);
                long count = value.hasValue() ? Long.parseLong(value.getValue()) : 0;
                result.add(WindowStatus.of(windows.get(i), count, now));
            }
            return result;
        });
    }

    /**
     * SCANs (never KEYS: it does not block Redis) for {@code rl:{<prefix>*}:<size>:<start>} in batches. The bucket
     * comes back as stored, i.e. with braces already replaced, which {@link #key} maps to the same key again.
     */
    @Override
    public Mono<List<String>> activeBuckets(String prefix, Window window) {
        Instant now = clock.instant();
        String suffix = "}:" + window.sizeSeconds() + ":" + window.startAt(now);
        String pattern = "rl:{" + globEscape(RateLimiter.storedName(prefix)) + "*" + suffix;
        ScanArgs args = ScanArgs.Builder.matches(pattern).limit(SCAN_BATCH);
        return Mono.fromCompletionStage(() -> redis.scan(args))
                .expand(cursor -> cursor.isFinished() ? Mono.empty()
                        : Mono.fromCompletionStage(() -> redis.scan(cursor, args)))
                .flatMapIterable(KeyScanCursor::getKeys)
                .filter(key -> key.startsWith("rl:{") && key.endsWith(suffix))
                .map(key -> key.substring(4, key.length() - suffix.length()))
                .distinct()
                .collectList();
    }

    private static String globEscape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            if (c == '*' || c == '?' || c == '[' || c == ']' || c == '\\') {
                out.append('\\');
            }
            out.append(c);
        }
        return out.toString();
    }

    /** {@code rl:{<bucket>}:<size>:<start>}. */
    static String key(String bucket, Window window, Instant now) {
        String tag = RateLimiter.storedName(bucket);
        return "rl:{" + tag + "}:" + window.sizeSeconds() + ":" + window.startAt(now);
    }

    private static String[] keys(String bucket, List<Window> windows, Instant now) {
        String[] keys = new String[windows.size()];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = key(bucket, windows.get(i), now);
        }
        return keys;
    }

    /** EVALSHA with the cached digest; loads the script first if needed and again after a NOSCRIPT (flush/restart). */
    private Mono<List<Object>> evalsha(String[] keys, String[] args, boolean reloaded) {
        return scriptSha(reloaded)
                .flatMap(digest -> Mono.fromCompletionStage(() ->
                        redis.<List<Object>>evalsha(digest, ScriptOutputType.MULTI, keys, args)))
                .onErrorResume(RedisNoScriptException.class, e -> {
                    if (reloaded) {
                        return Mono.error(e);
                    }
                    return evalsha(keys, args, true);
                });
    }

    private Mono<String> scriptSha(boolean reload) {
        String known = sha.get();
        if (known != null && !reload) {
            return Mono.just(known);
        }
        return Mono.fromCompletionStage(() -> redis.scriptLoad(SCRIPT)).doOnNext(sha::set);
    }
}

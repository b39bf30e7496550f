package io.dynamicrag.app.idempotency;

import io.dynamicrag.app.idempotency.IdempotencyConfiguration.IdempotencyProperties;
import io.dynamicrag.app.idempotency.IdempotencyStore.Claimed;
import io.dynamicrag.app.idempotency.IdempotencyStore.Completed;
import io.dynamicrag.app.idempotency.IdempotencyStore.InProgress;
import io.dynamicrag.app.idempotency.IdempotencyStore.Key;
import io.dynamicrag.app.idempotency.IdempotencyStore.Lease;
import io.dynamicrag.app.idempotency.IdempotencyStore.StoredResponse;
import io.dynamicrag.app.web.ProblemResponses;
import io.dynamicrag.kernel.security.AuthenticatedTenant;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.annotation.Order;
import org.springframework.core.ResolvableType;
import org.springframework.http.codec.HttpMessageReader;
import org.springframework.http.codec.ServerCodecConfigurer;
import org.springframework.http.codec.multipart.Part;
import org.springframework.util.CollectionUtils;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.web.server.ServerWebExchangeDecorator;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.stereotype.Component;
import org.springframework.util.unit.DataSize;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.channel.AbortedException;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Makes a retried write return the first response: a request that carries an {@code Idempotency-Key} header is run
 * at most once per key and caller, and every later request with that key gets the stored answer (n8n retries on
 * timeouts). Stripe's semantics:
 *
 * <ul>
 *   <li>first request: the key is claimed (in progress, with a lease of {@code rag.idempotency.lease} so that a
 *       request that died does not block its key for good), the handler runs, and its response (status,
 *       Content-Type, Location, body) is stored for {@code rag.idempotency.ttl} <em>before</em> it is sent, so a
 *       client that retries the instant it gets an answer already finds it. A 5xx (and 408, 425, 429 or any answer
 *       with {@code Retry-After}, which all mean "try again"), an error, a cancelled request, a streamed response or
 *       a body over 1 MB release the claim instead: the retry runs again. Every other answer, 4xx included, is
 *       final and replayed;
 *   <li>replay (same key, same request): the stored answer with {@code Idempotent-Replayed: true}; the handler
 *       does not run;
 *   <li>same key, different request (method, path, query or body): 422;
 *   <li>same key while the first request is still running: 409 with {@code Retry-After: 1}.
 * </ul>
 *
 * <p>Applies to POST, PUT, PATCH and DELETE on {@code /api/ingest/**}, {@code /api/documents/**} and
 * {@code /api/webhooks/in/**}. Keys are per tenant (the authenticated principal), so two tenants may use the same
 * key; for the unauthenticated webhook path {@code /api/webhooks/in/<token>}, where the token is the credential, per
 * token ({@code webhook:<sha256 of the token>}: the token itself never reaches Redis); there, 401, 403 and 404
 * answers (a refused token) are not stored.
 *
 * <p>Once a key is claimed the request runs to its end even if the client disconnects (see {@link #detached}), so
 * that a client that timed out finds the answer when it retries.
 *
 * <p>Fingerprint of the body (see {@link RequestFingerprint}): a body whose {@code Content-Length} is at most
 * {@code spring.codec.max-in-memory-size} (25 MB) is read in full, hashed, and handed to the handler from memory.
 * A larger body, or a chunked one of unknown length, is not read here: it streams to the handler untouched and is
 * fingerprinted by its method, path, media type and declared length only. A mismatch is only detected on what the
 * fingerprint covers.
 *
 * <p>Runs after the rate-limit filter (order 0), so replays and conflicts count against the tenant's limits like
 * any request. When the store cannot be reached the request runs without idempotency (fail open, logged), as the
 * rate limiter does: ingestion keeps working during a Redis outage at the price of a possible duplicate.
 */
@Component
@Order(1)
public class IdempotencyFilter implements WebFilter {

    public static final String KEY_HEADER = "Idempotency-Key";
    public static final String REPLAYED_HEADER = "Idempotent-Replayed";
    static final int MAX_KEY_LENGTH = 255;
    /** Responses larger than this are not stored (ingestion answers are a few hundred bytes of JSON). */
    static final int MAX_STORED_RESPONSE_BYTES = 1024 * 1024;
    /** Response headers that are stored and replayed. */
    static final List<String> STORED_HEADERS = List.of(HttpHeaders.CONTENT_TYPE, HttpHeaders.LOCATION);
    static final String WEBHOOK_PREFIX = "/api/webhooks/in/";

    private static final Logger log = LoggerFactory.getLogger(IdempotencyFilter.class);
    private static final Set<HttpMethod> UNSAFE =
            Set.of(HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH, HttpMethod.DELETE);
    private static final List<PathPattern> COVERED = List.of(
            PathPatternParser.defaultInstance.parse("/api/ingest/**"),
            PathPatternParser.defaultInstance.parse("/api/documents/**"),
            PathPatternParser.defaultInstance.parse("/api/webhooks/in/**"));
    private static final ResolvableType FORM_DATA =
            ResolvableType.forClassWithGenerics(MultiValueMap.class, String.class, String.class);
    private static final ResolvableType MULTIPART_DATA =
            ResolvableType.forClassWithGenerics(MultiValueMap.class, String.class, Part.class);
    private static final long DEFAULT_MAX_BUFFERED_BODY = DataSize.ofMegabytes(25).toBytes();
    private static final long FAIL_OPEN_LOG_EVERY_MILLIS = 30_000;

    private final IdempotencyStore store;
    private final ServerCodecConfigurer codecs;
    private final Duration ttl;
    private final Duration lease;
    private final int maxBufferedBody;
    private final AtomicLong lastFailOpenLog = new AtomicLong();

    public IdempotencyFilter(IdempotencyStore store, IdempotencyProperties properties,
                             @Value("${spring.codec.max-in-memory-size:25MB}") DataSize maxBufferedBody,
                             ServerCodecConfigurer codecs) {
        this.store = store;
        this.codecs = codecs;
        this.ttl = properties.ttl();
        this.lease = properties.lease();
        long max = maxBufferedBody == null || maxBufferedBody.isNegative()
                ? DEFAULT_MAX_BUFFERED_BODY : maxBufferedBody.toBytes();
        this.maxBufferedBody = (int) Math.min(max, Integer.MAX_VALUE - 8);
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        ServerHttpRequest request = exchange.getRequest();
        if (!UNSAFE.contains(request.getMethod()) || !covered(request)) {
            return chain.filter(exchange);
        }
        List<String> keys = request.getHeaders().get(KEY_HEADER);
        if (keys == null || keys.isEmpty()) {
            return chain.filter(exchange);
        }
        if (keys.size() > 1) {
            return ProblemResponses.write(exchange, HttpStatus.BAD_REQUEST,
                    "Send one " + KEY_HEADER + " header, not " + keys.size());
        }
        String key = keys.get(0);
        if (!isValidKey(key)) {
            return ProblemResponses.write(exchange, HttpStatus.BAD_REQUEST,
                    KEY_HEADER + " must be 1 to " + MAX_KEY_LENGTH + " printable ASCII characters");
        }
        return scope(request)
                // not switchIfEmpty after chain.filter: a completed Mono<Void> is empty and would run the chain twice
                .flatMap(scope -> scope.isEmpty()
                        ? chain.filter(exchange)
                        : fingerprinted(exchange).flatMap(prepared -> prepared.isEmpty()
                                ? ProblemResponses.write(exchange, HttpStatus.PAYLOAD_TOO_LARGE,
                                        "The request body is larger than the service accepts")
                                : detached(process(new Key(scope.get(), key), prepared.get(), chain))));
    }

    /**
     * Runs {@code work} to its end even when the client goes away. Without this, a client that times out (n8n
     * does, then retries) cancels the handler midway: the document may already be submitted, yet no answer is
     * stored, and the retry would submit it again. Detached, the first request completes and stores its answer,
     * and the retry gets it (or a 409 while it is still running). The Reactor context (the security context) is
     * carried over.
     */
    private static Mono<Void> detached(Mono<Void> work) {
        return Mono.deferContextual(context -> Mono.fromFuture(work.contextWrite(context).toFuture(), true));
    }

    static boolean covered(ServerHttpRequest request) {
        var path = request.getPath().pathWithinApplication();
        for (PathPattern pattern : COVERED) {
            if (pattern.matches(path)) {
                return true;
            }
        }
        return false;
    }

    /** 1 to 255 printable US-ASCII characters (space included), not only spaces. */
    static boolean isValidKey(String key) {
        if (key == null || key.isEmpty() || key.length() > MAX_KEY_LENGTH || key.isBlank()) {
            return false;
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c < 0x20 || c > 0x7E) {
                return false;
            }
        }
        return true;
    }

    /** The tenant of the principal; else, on the webhook path, its token (hashed); else none (not covered). */
    private Mono<Optional<String>> scope(ServerHttpRequest request) {
        return ReactiveSecurityContextHolder.getContext()
                .map(SecurityContext::getAuthentication)
                .filter(authentication -> authentication.isAuthenticated()
                        && authentication.getPrincipal() instanceof AuthenticatedTenant)
                .map(authentication -> Optional.of(
                        ((AuthenticatedTenant) authentication.getPrincipal()).tenantId().toString()))
                .defaultIfEmpty(webhookScope(request.getPath().pathWithinApplication().value()));
    }

    static Optional<String> webhookScope(String path) {
        if (!path.startsWith(WEBHOOK_PREFIX)) {
            return Optional.empty();
        }
        String rest = path.substring(WEBHOOK_PREFIX.length());
        int slash = rest.indexOf('/');
        String token = slash < 0 ? rest : rest.substring(0, slash);
        return token.isEmpty() ? Optional.empty()
                : Optional.of("webhook:" + RedisIdempotencyStore.sha256Hex(token));
    }

    /** The request's fingerprint, and the exchange whose body the handler reads (from memory when buffered). */
    private record Prepared(String fingerprint, ServerWebExchange exchange) {
    }

    /** Empty when the body turns out larger than it may be buffered (a Content-Length that lied). */
    private Mono<Optional<Prepared>> fingerprinted(ServerWebExchange exchange) {
        ServerHttpRequest request = exchange.getRequest();
        HttpHeaders headers = request.getHeaders();
        long length = headers.getContentLength();
        MediaType contentType = contentType(headers);
        String pathAndQuery = request.getURI().getRawPath()
                + (request.getURI().getRawQuery() == null ? "" : "?" + request.getURI().getRawQuery());
        boolean unknownLength = length < 0 && headers.containsKey(HttpHeaders.TRANSFER_ENCODING);
        if (length > maxBufferedBody || unknownLength) {
            return Mono.just(Optional.of(new Prepared(
                    RequestFingerprint.ofMetadata(request.getMethod(), pathAndQuery, contentType, length),
                    exchange)));
        }
        return DataBufferUtils.join(request.getBody(), maxBufferedBody)
                .map(joined -> {
                    try {
                        byte[] bytes = new byte[joined.readableByteCount()];
                        joined.read(bytes);
                        return bytes;
                    } finally {
                        DataBufferUtils.release(joined);
                    }
                })
                .defaultIfEmpty(new byte[0])
                .map(body -> Optional.of(new Prepared(
                        RequestFingerprint.ofBody(request.getMethod(), pathAndQuery, contentType, body),
                        new BufferedBodyExchange(exchange, new BufferedBodyRequest(request, body)))))
                .onErrorResume(DataBufferLimitException.class, e -> Mono.just(Optional.empty()));
    }

    private static MediaType contentType(HttpHeaders headers) {
        try {
            return headers.getContentType();
        } catch (RuntimeException e) {
            return null; // unparsable: the handler reports it; the fingerprint covers the body alone
        }
    }

    private Mono<Void> process(Key key, Prepared prepared, WebFilterChain chain) {
        ServerWebExchange exchange = prepared.exchange();
        String fingerprint = prepared.fingerprint();
        return store.claim(key, fingerprint, lease)
                .map(Optional::of)
                .onErrorResume(e -> {
                    logFailOpen(e);
                    return Mono.just(Optional.empty());
                })
                .flatMap(claim -> {
                    if (claim.isEmpty()) {
                        return chain.filter(exchange);
                    }
                    if (claim.get() instanceof Claimed claimed) {
                        return runOnce(exchange, chain, claimed.lease());
                    }
                    if (claim.get() instanceof Completed completed) {
                        return completed.response().fingerprint().equals(fingerprint)
                                ? replay(exchange, completed.response())
                                : mismatch(exchange);
                    }
                    InProgress inProgress = (InProgress) claim.get();
                    return inProgress.fingerprint().equals(fingerprint)
                            ? stillRunning(exchange)
                            : mismatch(exchange);
                });
    }

    private Mono<Void> runOnce(ServerWebExchange exchange, WebFilterChain chain, Lease claimed) {
        CapturingResponse response = new CapturingResponse(exchange.getResponse(), claimed);
        return chain.filter(exchange.mutate().response(response).build())
                // nothing written (an empty body) or written without passing through writeWith: store it now,
                // still before the server sends the response
                .then(Mono.defer(() -> response.finish(new byte[0])))
                .onErrorResume(e -> response.abandon("the request failed: " + e).then(Mono.error(e)))
                // only when cancelled from inside (the work is detached from the client's cancellation)
                .doOnCancel(() -> response.abandon("the request was cancelled").subscribe());
    }

    private static Mono<Void> replay(ServerWebExchange exchange, StoredResponse stored) {
        ServerHttpResponse response = exchange.getResponse();
        response.setStatusCode(HttpStatusCode.valueOf(stored.status()));
        stored.headers().forEach((name, values) -> response.getHeaders().put(name, values));
        response.getHeaders().set(REPLAYED_HEADER, "true");
        if (stored.body().length == 0) {
            return response.setComplete();
        }
        return response.writeWith(Mono.fromSupplier(() -> response.bufferFactory().wrap(stored.body())));
    }

    private static Mono<Void> mismatch(ServerWebExchange exchange) {
        return ProblemResponses.write(exchange, HttpStatus.UNPROCESSABLE_ENTITY,
                "Idempotency-Key was already used for a different request");
    }

    private static Mono<Void> stillRunning(ServerWebExchange exchange) {
        exchange.getResponse().getHeaders().set(HttpHeaders.RETRY_AFTER, "1");
        return ProblemResponses.write(exchange, HttpStatus.CONFLICT,
                "A request with this Idempotency-Key is still being processed; retry later");
    }

    /**
     * Stored answers: anything but a server error, 408, 425 or 429, or an answer that carries {@code Retry-After}:
     * all of them tell the client to try the same request again, so replaying them would defeat the retry.
     */
    static boolean isFinal(int status, HttpHeaders headers) {
        return status < 500 && status != 408 && status != 425 && status != 429
                && !headers.containsKey(HttpHeaders.RETRY_AFTER);
    }

    static boolean clientGone(Throwable e) {
        return e instanceof AbortedException || AbortedException.isConnectionReset(e);
    }

    static boolean isWebhook(Key key) {
        return key.scope().startsWith("webhook:");
    }

    /**
     * On the webhook path the token is the credential: a token that was refused did nothing on anyone's behalf,
     * and storing its answers would let anonymous callers fill the store with records under made-up tokens.
     */
    static boolean isRefusedCredential(int status) {
        return status == 401 || status == 403 || status == 404;
    }

    private void logFailOpen(Throwable e) {
        long now = System.currentTimeMillis();
        long last = lastFailOpenLog.get();
        if (now - last >= FAIL_OPEN_LOG_EVERY_MILLIS && lastFailOpenLog.compareAndSet(last, now)) {
            log.warn("Idempotency store unavailable, running requests without idempotency (fail open): {}",
                    e.toString());
        }
    }

    /** The request with its body replayed from memory, after it was read for the fingerprint. */
    private static final class BufferedBodyRequest extends ServerHttpRequestDecorator {

        private final byte[] body;

        BufferedBodyRequest(ServerHttpRequest delegate, byte[] body) {
            super(delegate);
            this.body = body;
        }

        @Override
        public Flux<DataBuffer> getBody() {
            if (body.length == 0) {
                return Flux.empty();
            }
            return Flux.defer(() -> Flux.just(
                    DefaultDataBufferFactory.sharedInstance.wrap(body)));
        }
    }

    /**
     * The exchange with the buffered request. Not {@code exchange.mutate().request(...)}: the mutated exchange would
     * still take {@link ServerWebExchange#getFormData()} and {@link ServerWebExchange#getMultipartData()} (used by
     * {@code @RequestPart} and {@code @ModelAttribute}) from the original request, whose body is already read.
     */
    private final class BufferedBodyExchange extends ServerWebExchangeDecorator {

        private final ServerHttpRequest request;
        private final Mono<MultiValueMap<String, String>> formData;
        private final Mono<MultiValueMap<String, Part>> multipartData;

        BufferedBodyExchange(ServerWebExchange delegate, ServerHttpRequest request) {
            super(delegate);
            this.request = request;
            MediaType type = contentType(request.getHeaders());
            this.formData = type != null && type.isCompatibleWith(MediaType.APPLICATION_FORM_URLENCODED)
                    ? read(FORM_DATA, type, new LinkedMultiValueMap<String, String>())
                    : Mono.just(CollectionUtils.unmodifiableMultiValueMap(new LinkedMultiValueMap<>(0)));
            this.multipartData = type != null && type.isConcrete() && "multipart".equalsIgnoreCase(type.getType())
                    ? read(MULTIPART_DATA, type, new LinkedMultiValueMap<String, Part>())
                    : Mono.just(CollectionUtils.unmodifiableMultiValueMap(new LinkedMultiValueMap<>(0)));
        }

        @Override
        public ServerHttpRequest getRequest() {
            return request;
        }

        @Override
        public Mono<MultiValueMap<String, String>> getFormData() {
            return formData;
        }

        @Override
        public Mono<MultiValueMap<String, Part>> getMultipartData() {
            return multipartData;
        }

        @SuppressWarnings("unchecked")
        private <T> Mono<T> read(ResolvableType target, MediaType type, T empty) {
            return Mono.defer(() -> codecs.getReaders().stream()
                            .filter(reader -> reader.canRead(target, type))
                            .findFirst()
                            .map(reader -> ((HttpMessageReader<T>) reader).readMono(target, request, Map.of()))
                            .orElseGet(() -> Mono.error(new IllegalStateException("No reader for " + type))))
                    .defaultIfEmpty(empty)
                    .cache();
        }
    }

    /**
     * The response of the first request: its body is held until complete (up to 1 MB), stored with the status and
     * headers, and only then written, so the record is in the store before the client can see the answer.
     */
    private final class CapturingResponse extends ServerHttpResponseDecorator {

        private final Lease claimed;
        private final AtomicBoolean decided = new AtomicBoolean();

        CapturingResponse(ServerHttpResponse delegate, Lease claimed) {
            super(delegate);
            this.claimed = claimed;
        }

        @Override
        public Mono<Void> writeWith(Publisher<? extends DataBuffer> body) {
            if (decided.get()) {
                return super.writeWith(body);
            }
            if (body instanceof Mono<? extends DataBuffer> single) {
                // the usual case: one encoded JSON value
                // (not switchIfEmpty after the write: a completed Mono<Void> is empty)
                return single.map(Optional::<DataBuffer>of).defaultIfEmpty(Optional.empty()).flatMap(next -> {
                    if (next.isEmpty()) {
                        return finish(new byte[0]).then(sent(super.writeWith(Mono.empty())));
                    }
                    DataBuffer buffer = next.get();
                    int size = buffer.readableByteCount();
                    Mono<Void> decision = size > MAX_STORED_RESPONSE_BYTES
                            ? abandon("the response has more than " + MAX_STORED_RESPONSE_BYTES + " bytes")
                            : finish(copy(List.of(buffer), size));
                    return decision
                            .onErrorResume(e -> Mono.empty())
                            .then(sent(super.writeWith(Mono.just(buffer))))
                            .doOnDiscard(DataBuffer.class, DataBufferUtils::release);
                });
            }
            return sent(super.writeWith(held(Flux.from(body))));
        }

        /** Several buffers: held until the end (then stored and written) or until over the cap (then streamed). */
        private Flux<DataBuffer> held(Flux<? extends DataBuffer> body) {
            List<DataBuffer> held = new ArrayList<>();
            AtomicLong size = new AtomicLong();
            AtomicBoolean streaming = new AtomicBoolean();
            Flux<DataBuffer> passed = body.concatMap(buffer -> {
                if (streaming.get()) {
                    return Mono.just(buffer);
                }
                List<DataBuffer> out;
                synchronized (held) {
                    held.add(buffer);
                    if (size.addAndGet(buffer.readableByteCount()) <= MAX_STORED_RESPONSE_BYTES) {
                        return Flux.empty();
                    }
                    streaming.set(true);
                    out = new ArrayList<>(held);
                    held.clear();
                }
                return abandon("the response has more than " + MAX_STORED_RESPONSE_BYTES + " bytes")
                        .thenMany(Flux.fromIterable(out));
            });
            Flux<DataBuffer> rest = Flux.defer(() -> {
                if (streaming.get()) {
                    return Flux.empty();
                }
                List<DataBuffer> out;
                synchronized (held) {
                    out = new ArrayList<>(held);
                    held.clear();
                }
                return finish(copy(out, (int) size.get())).thenMany(Flux.fromIterable(out));
            });
            return passed.concatWith(rest).doFinally(signal -> {
                synchronized (held) {
                    held.forEach(DataBufferUtils::release);
                    held.clear();
                }
            });
        }

        @Override
        public Mono<Void> writeAndFlushWith(Publisher<? extends Publisher<? extends DataBuffer>> body) {
            // a stream (e.g. server-sent events) cannot be replayed as one answer
            return abandon("the response is streamed").then(super.writeAndFlushWith(body));
        }

        @Override
        public Mono<Void> setComplete() {
            return finish(new byte[0]).then(sent(super.setComplete()));
        }

        /**
         * The write to the client; when the client has gone (it timed out: the work was detached from it) the answer
         * is already stored for its retry, so the failed send is not an error of the request.
         */
        private Mono<Void> sent(Mono<Void> write) {
            return write.onErrorResume(IdempotencyFilter::clientGone, e -> {
                log.debug("The client of an idempotent request ({}) left before its answer: {}",
                        claimed.key().scope(), e.toString());
                return Mono.empty();
            });
        }

        /** Stores the response once (a final status) or releases the claim (a status that asks to retry). */
        Mono<Void> finish(byte[] body) {
            if (!decided.compareAndSet(false, true)) {
                return Mono.empty();
            }
            HttpStatusCode code = getStatusCode();
            int status = code == null ? 200 : code.value();
            if (!isFinal(status, getHeaders()) || (isWebhook(claimed.key()) && isRefusedCredential(status))) {
                return release();
            }
            Map<String, List<String>> headers = new LinkedHashMap<>();
            for (String name : STORED_HEADERS) {
                List<String> values = getHeaders().get(name);
                if (values != null && !values.isEmpty()) {
                    headers.put(name, List.copyOf(values));
                }
            }
            StoredResponse stored = new StoredResponse(claimed.fingerprint(), status, headers, body);
            return store.complete(claimed, stored, ttl)
                    .doOnNext(done -> {
                        if (!done) {
                            log.warn("The response to Idempotency-Key request {} was not stored: its lease of {} "
                                    + "expired and another request holds the key", claimed.key().scope(), lease);
                        }
                    })
                    .then()
                    .onErrorResume(e -> {
                        log.warn("Cannot store the response of an idempotent request ({}); releasing its key: {}",
                                claimed.key().scope(), e.toString());
                        return release();
                    });
        }

        /** Releases the claim (once) so that a retry runs again. */
        Mono<Void> abandon(String why) {
            if (!decided.compareAndSet(false, true)) {
                return Mono.empty();
            }
            log.debug("Not storing the response of an idempotent request ({}): {}", claimed.key().scope(), why);
            return release();
        }

        private Mono<Void> release() {
            return store.release(claimed)
                    .then()
                    .onErrorResume(e -> {
                        log.warn("Cannot release an Idempotency-Key of {} (it lapses after {}): {}",
                                claimed.key().scope(), lease, e.toString());
                        return Mono.empty();
                    });
        }

    }

    /** The readable bytes of the buffers, without moving their read positions. */
    static byte[] copy(List<DataBuffer> buffers, int size) {
        byte[] bytes = new byte[size];
        ByteBuffer target = ByteBuffer.wrap(bytes);
        int offset = 0;
        for (DataBuffer buffer : buffers) {
            int n = buffer.readableByteCount();
            buffer.toByteBuffer(buffer.readPosition(), target, offset, n);
            offset += n;
        }
        return bytes;
    }
}

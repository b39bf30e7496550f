package io.dynamicrag.app.idempotency;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dynamicrag.app.idempotency.IdempotencyConfiguration.IdempotencyProperties;
import io.dynamicrag.app.support.IntegrationTest;
import io.dynamicrag.kernel.ids.TenantId;
import io.dynamicrag.kernel.security.AuthenticatedTenant;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.client.MultipartBodyBuilder;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.http.codec.ServerCodecConfigurer;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.http.server.reactive.MockServerHttpResponse;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.util.unit.DataSize;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code Idempotency-Key} through the real app (Redis, PostgreSQL), then the filter alone for the edge cases. */
class IdempotencyFilterTest extends IntegrationTest {

    private final ObjectMapper json = new ObjectMapper();

    private static Map<String, Object> document(String title) {
        return Map.of("title", title, "content", "Idempotent ingestion keeps one copy of " + title,
                "doc_type", "txt");
    }

    private EntityExchangeResult<String> post(Tenant tenant, String key, Object body) {
        var request = http.post().uri("/api/ingest/document")
                .header("X-API-Key", tenant.apiKey())
                .contentType(MediaType.APPLICATION_JSON);
        if (key != null) {
            request = request.header(IdempotencyFilter.KEY_HEADER, key);
        }
        return request.bodyValue(body).exchange().expectBody(String.class).returnResult();
    }

    private JsonNode body(EntityExchangeResult<String> result) {
        return tree(result.getResponseBody());
    }

    private JsonNode tree(String text) {
        try {
            return json.readTree(text);
        } catch (Exception e) {
            throw new AssertionError(text, e);
        }
    }

    private long documentCount(Tenant tenant) {
        JsonNode page = http.get().uri("/api/documents")
                .header("X-API-Key", tenant.apiKey())
                .exchange()
                .expectStatus().isOk()
                .expectBody(JsonNode.class).returnResult().getResponseBody();
        return page.get("total").asLong();
    }

    @Test
    void aRetryWithTheSameKeyReplaysTheFirstAnswerAndCreatesNothing() {
        Tenant tenant = signUp();
        String key = "n8n-" + UUID.randomUUID();

        EntityExchangeResult<String> first = post(tenant, key, document("Replayed"));
        EntityExchangeResult<String> retry = post(tenant, key, document("Replayed"));

        assertThat(first.getStatus().value()).isEqualTo(202);
        assertThat(first.getResponseHeaders().getFirst(IdempotencyFilter.REPLAYED_HEADER)).isNull();
        assertThat(retry.getStatus().value()).isEqualTo(202);
        assertThat(retry.getResponseHeaders().getFirst(IdempotencyFilter.REPLAYED_HEADER)).isEqualTo("true");
        assertThat(retry.getResponseHeaders().getContentType()).isEqualTo(first.getResponseHeaders().getContentType());
        assertThat(retry.getResponseBody()).isEqualTo(first.getResponseBody());
        String documentId = body(first).get("document_id").asText();
        assertThat(body(retry).get("document_id").asText()).isEqualTo(documentId);
        assertThat(documentCount(tenant)).isEqualTo(1);
        // a third attempt, later, still replays
        assertThat(body(post(tenant, key, document("Replayed"))).get("document_id").asText()).isEqualTo(documentId);
        assertThat(documentCount(tenant)).isEqualTo(1);
    }

    @Test
    void theSameKeyWithADifferentBodyIsRejected() {
        Tenant tenant = signUp();
        String key = "key-" + UUID.randomUUID();
        assertThat(post(tenant, key, document("One")).getStatus().value()).isEqualTo(202);

        EntityExchangeResult<String> other = post(tenant, key, document("Another"));

        assertThat(other.getStatus().value()).isEqualTo(422);
        assertThat(other.getResponseHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
        JsonNode problem = body(other);
        assertThat(problem.get("status").asInt()).isEqualTo(422);
        assertThat(problem.get("detail").asText())
                .isEqualTo("Idempotency-Key was already used for a different request");
        assertThat(documentCount(tenant)).isEqualTo(1);
    }

    @Test
    void tenantsHaveTheirOwnKeys() {
        Tenant alice = signUp();
        Tenant bob = signUp();
        String key = "shared-" + UUID.randomUUID();

        EntityExchangeResult<String> fromAlice = post(alice, key, document("Same"));
        EntityExchangeResult<String> fromBob = post(bob, key, document("Same"));

        assertThat(fromAlice.getStatus().value()).isEqualTo(202);
        assertThat(fromBob.getStatus().value()).isEqualTo(202);
        assertThat(fromBob.getResponseHeaders().getFirst(IdempotencyFilter.REPLAYED_HEADER)).isNull();
        assertThat(body(fromBob).get("document_id").asText())
                .isNotEqualTo(body(fromAlice).get("document_id").asText());
        assertThat(documentCount(alice)).isEqualTo(1);
        assertThat(documentCount(bob)).isEqualTo(1);
    }

    @Test
    void withoutTheHeaderEveryRequestRuns() {
        Tenant tenant = signUp();

        EntityExchangeResult<String> first = post(tenant, null, document("Twice"));
        EntityExchangeResult<String> second = post(tenant, null, document("Twice"));

        assertThat(first.getStatus().value()).isEqualTo(202);
        assertThat(second.getStatus().value()).isEqualTo(202);
        assertThat(second.getResponseHeaders().getFirst(IdempotencyFilter.REPLAYED_HEADER)).isNull();
        assertThat(body(second).get("document_id").asText()).isNotEqualTo(body(first).get("document_id").asText());
        assertThat(documentCount(tenant)).isEqualTo(2);
    }

    @Test
    void aValidationErrorIsFinalAndReplayed() {
        Tenant tenant = signUp();
        String key = "bad-" + UUID.randomUUID();
        Map<String, Object> invalid = Map.of("title", "Bad", "content", "x", "doc_type", "pdf");

        EntityExchangeResult<String> first = post(tenant, key, invalid);
        EntityExchangeResult<String> retry = post(tenant, key, invalid);

        assertThat(first.getStatus().value()).isEqualTo(400);
        assertThat(body(first).get("detail").asText()).contains("doc_type");
        assertThat(retry.getStatus().value()).isEqualTo(400);
        assertThat(retry.getResponseHeaders().getFirst(IdempotencyFilter.REPLAYED_HEADER)).isEqualTo("true");
        assertThat(retry.getResponseHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(retry.getResponseBody()).isEqualTo(first.getResponseBody());
        // the key stays bound to the invalid request: a corrected body needs a new key
        assertThat(post(tenant, key, document("Fixed")).getStatus().value()).isEqualTo(422);
        assertThat(documentCount(tenant)).isZero();
    }

    @Test
    void concurrentIdenticalRequestsCreateOneDocument() throws Exception {
        Tenant tenant = signUp();
        String key = "burst-" + UUID.randomUUID();
        String body = json.writeValueAsString(document("Burst"));
        WebClient client = WebClient.create("http://localhost:" + port);

        List<ResponseEntity<String>> answers = Flux.range(0, 10)
                .flatMap(i -> client.post().uri("/api/ingest/document")
                        .header("X-API-Key", tenant.apiKey())
                        .header(IdempotencyFilter.KEY_HEADER, key)
                        .contentType(MediaType.APPLICATION_JSON)
                        .bodyValue(body)
                        .exchangeToMono(response -> response.toEntity(String.class)), 10)
                .collectList()
                .block(Duration.ofSeconds(60));

        assertThat(answers).hasSize(10);
        assertThat(answers).extracting(a -> a.getStatusCode().value()).allMatch(s -> s == 202 || s == 409);
        List<ResponseEntity<String>> accepted = answers.stream()
                .filter(a -> a.getStatusCode().value() == 202).toList();
        assertThat(accepted).isNotEmpty();
        assertThat(accepted).filteredOn(a -> a.getHeaders().getFirst(IdempotencyFilter.REPLAYED_HEADER) == null)
                .hasSize(1);
        assertThat(accepted).extracting(a -> tree(a.getBody()).get("document_id").asText())
                .containsOnly(tree(accepted.get(0).getBody()).get("document_id").asText());
        answers.stream().filter(a -> a.getStatusCode().value() == 409).forEach(conflict -> {
            assertThat(conflict.getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("1");
            assertThat(conflict.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
            assertThat(conflict.getBody()).contains("still being processed");
        });
        assertThat(documentCount(tenant)).isEqualTo(1);
    }

    @Test
    void aRetriedMultipartUploadIsReplayedAlthoughItsBoundaryChanged() {
        Tenant tenant = signUp();
        String key = "upload-" + UUID.randomUUID();
        List<EntityExchangeResult<String>> answers = new java.util.ArrayList<>();
        for (int attempt = 0; attempt < 2; attempt++) {
            // a new builder per attempt: Spring's multipart writer draws a fresh random boundary, as n8n's does
            MultipartBodyBuilder form = new MultipartBodyBuilder();
            form.part("file", new ByteArrayResource("A small text file uploaded twice.".getBytes(StandardCharsets.UTF_8)) {
                @Override
                public String getFilename() {
                    return "twice.txt";
                }
            }).contentType(MediaType.TEXT_PLAIN);
            form.part("title", "Uploaded twice");
            answers.add(http.post().uri("/api/ingest/file")
                    .header("X-API-Key", tenant.apiKey())
                    .header(IdempotencyFilter.KEY_HEADER, key)
                    .contentType(MediaType.MULTIPART_FORM_DATA)
                    .body(BodyInserters.fromMultipartData(form.build()))
                    .exchange()
                    .expectBody(String.class).returnResult());
        }

        assertThat(answers.get(0).getStatus().value()).as(answers.get(0).getResponseBody()).isEqualTo(202);
        assertThat(answers.get(1).getStatus().value()).as(answers.get(1).getResponseBody()).isEqualTo(202);
        assertThat(answers.get(1).getResponseHeaders().getFirst(IdempotencyFilter.REPLAYED_HEADER)).isEqualTo("true");
        assertThat(answers.get(1).getResponseBody()).isEqualTo(answers.get(0).getResponseBody());
        assertThat(documentCount(tenant)).isEqualTo(1);
    }

    @Test
    void aClientThatTimesOutFindsTheAnswerWhenItRetries() throws Exception {
        Tenant tenant = signUp();
        String key = "timeout-" + UUID.randomUUID();
        String body = json.writeValueAsString(document("Timed out"));
        // give up halfway through a typical ingestion: after the key is claimed, before the answer
        post(tenant, null, document("Warm-up"));
        long started = System.nanoTime();
        post(tenant, null, document("Measured"));
        Duration typical = Duration.ofNanos(System.nanoTime() - started);
        Duration patience = Duration.ofMillis(Math.max(5, typical.toMillis() / 2));
        WebClient impatient = WebClient.builder().baseUrl("http://localhost:" + port)
                .clientConnector(new org.springframework.http.client.reactive.ReactorClientHttpConnector(
                        reactor.netty.http.client.HttpClient.create().responseTimeout(patience)))
                .build();
        try {
            impatient.post().uri("/api/ingest/document")
                    .header("X-API-Key", tenant.apiKey())
                    .header(IdempotencyFilter.KEY_HEADER, key)
                    .contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(body)
                    .retrieve().toBodilessEntity().block(Duration.ofSeconds(10));
        } catch (RuntimeException timedOut) {
            // expected: the client gave up before the answer
        }

        // 409 while the first request is still in progress
        EntityExchangeResult<String> retry = awaitValue("the retry is answered", Duration.ofSeconds(20),
                Duration.ofMillis(200), () -> post(tenant, key, document("Timed out")),
                answer -> answer.getStatus().value() != 409);

        assertThat(retry.getStatus().value()).as(retry.getResponseBody()).isEqualTo(202);
        assertThat(documentCount(tenant)).as("two measured and the timed-out document").isEqualTo(3);
        assertThat(post(tenant, key, document("Timed out")).getResponseHeaders()
                .getFirst(IdempotencyFilter.REPLAYED_HEADER)).isEqualTo("true");
    }

    @Test
    void malformedKeysAreRejected() {
        Tenant tenant = signUp();

        EntityExchangeResult<String> tooLong = post(tenant, "k".repeat(256), document("Long key"));
        EntityExchangeResult<String> control = post(tenant, "tab\there", document("Tab key"));

        assertThat(tooLong.getStatus().value()).isEqualTo(400);
        assertThat(tooLong.getResponseHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(body(tooLong).get("detail").asText()).contains("Idempotency-Key must be 1 to 255");
        assertThat(control.getStatus().value()).isEqualTo(400);
        assertThat(post(tenant, "k".repeat(255), document("Longest key")).getStatus().value()).isEqualTo(202);
        assertThat(documentCount(tenant)).isEqualTo(1);
    }

    /** The filter alone (in-process store, mock exchanges) for what the real endpoints cannot easily produce. */
    @Nested
    class Standalone {

        final InMemoryIdempotencyStore store = new InMemoryIdempotencyStore(java.time.Clock.systemUTC());
        final IdempotencyFilter filter = filter(store, DataSize.ofMegabytes(25));
        final AuthenticatedTenant tenant = AuthenticatedTenant.byApiKey(TenantId.random(), "t@example.com", false);
        final AtomicInteger runs = new AtomicInteger();
        final AtomicReference<String> lastBody = new AtomicReference<>();

        IdempotencyFilter filter(IdempotencyStore store, DataSize maxBody) {
            return new IdempotencyFilter(store, new IdempotencyProperties(Duration.ofHours(24),
                    Duration.ofMinutes(2)), maxBody, ServerCodecConfigurer.create());
        }

        /** Echoes the body with the status asked for in X-Status (201 with a Location by default). */
        final WebFilterChain echo = exchange -> DataBufferUtils.join(exchange.getRequest().getBody())
                .map(buffer -> {
                    String text = buffer.toString(StandardCharsets.UTF_8);
                    DataBufferUtils.release(buffer);
                    return text;
                })
                .defaultIfEmpty("")
                .flatMap(text -> {
                    runs.incrementAndGet();
                    lastBody.set(text);
                    String status = exchange.getRequest().getHeaders().getFirst("X-Status");
                    var response = exchange.getResponse();
                    response.setStatusCode(HttpStatus.valueOf(status == null ? 201 : Integer.parseInt(status)));
                    response.getHeaders().setContentType(MediaType.TEXT_PLAIN);
                    response.getHeaders().set(HttpHeaders.LOCATION, "/things/" + runs.get());
                    response.getHeaders().set("X-Not-Stored", "x");
                    return response.writeWith(Mono.just(response.bufferFactory()
                            .wrap(("run " + runs.get() + ": " + text).getBytes(StandardCharsets.UTF_8))));
                });

        MockServerHttpRequest.BodyBuilder request(HttpMethod method, String path, String key) {
            MockServerHttpRequest.BodyBuilder builder = MockServerHttpRequest.method(method, path);
            if (key != null) {
                builder.header(IdempotencyFilter.KEY_HEADER, key);
            }
            return builder;
        }

        MockServerHttpResponse send(MockServerHttpRequest request, WebFilterChain chain) {
            return send(filter, request, chain, tenant);
        }

        MockServerHttpResponse send(IdempotencyFilter filter, MockServerHttpRequest request, WebFilterChain chain,
                                    AuthenticatedTenant caller) {
            MockServerWebExchange exchange = MockServerWebExchange.from(request);
            Mono<Void> handled = filter.filter(exchange, chain);
            if (caller != null) {
                handled = handled.contextWrite(ReactiveSecurityContextHolder.withAuthentication(
                        UsernamePasswordAuthenticationToken.authenticated(caller, null, List.of())));
            }
            handled.block(Duration.ofSeconds(10));
            return exchange.getResponse();
        }

        MockServerHttpResponse post(String key, String body) {
            return send(request(HttpMethod.POST, "/api/ingest/document", key).body(body), echo);
        }

        String text(MockServerHttpResponse response) {
            return response.getBodyAsString().block(Duration.ofSeconds(10));
        }

        @Test
        void theHandlerGetsTheBodyAndItsAnswerIsReplayedWithTheSelectedHeaders() {
            MockServerHttpResponse first = post("k1", "{\"a\":1}");
            MockServerHttpResponse replay = post("k1", "{\"a\":1}");

            assertThat(lastBody.get()).isEqualTo("{\"a\":1}");
            assertThat(runs.get()).isEqualTo(1);
            assertThat(first.getStatusCode().value()).isEqualTo(201);
            assertThat(text(first)).isEqualTo("run 1: {\"a\":1}");
            assertThat(replay.getStatusCode().value()).isEqualTo(201);
            assertThat(text(replay)).isEqualTo("run 1: {\"a\":1}");
            assertThat(replay.getHeaders().getContentType()).isEqualTo(MediaType.TEXT_PLAIN);
            assertThat(replay.getHeaders().getFirst(HttpHeaders.LOCATION)).isEqualTo("/things/1");
            assertThat(replay.getHeaders().getFirst("X-Not-Stored")).isNull();
            assertThat(replay.getHeaders().getFirst(IdempotencyFilter.REPLAYED_HEADER)).isEqualTo("true");
        }

        @Test
        void aServerErrorReleasesTheKeySoTheRetryRunsAgain() {
            MockServerHttpResponse failed = send(request(HttpMethod.POST, "/api/ingest/url", "k2")
                    .header("X-Status", "503").body("{}"), echo);
            MockServerHttpResponse retry = send(request(HttpMethod.POST, "/api/ingest/url", "k2").body("{}"), echo);
            MockServerHttpResponse replay = send(request(HttpMethod.POST, "/api/ingest/url", "k2").body("{}"), echo);

            assertThat(failed.getStatusCode().value()).isEqualTo(503);
            assertThat(retry.getStatusCode().value()).isEqualTo(201);
            assertThat(retry.getHeaders().getFirst(IdempotencyFilter.REPLAYED_HEADER)).isNull();
            assertThat(replay.getHeaders().getFirst(IdempotencyFilter.REPLAYED_HEADER)).isEqualTo("true");
            assertThat(runs.get()).isEqualTo(2);
        }

        @Test
        void anErrorOrAnAnswerThatAsksForARetryReleasesTheKey() {
            WebFilterChain failing = exchange -> {
                runs.incrementAndGet();
                return Mono.error(new IllegalStateException("boom"));
            };
            MockServerWebExchange exchange = MockServerWebExchange.from(
                    request(HttpMethod.POST, "/api/ingest/document", "k3").body("{}"));
            Mono<Void> handled = filter.filter(exchange, failing).contextWrite(
                    ReactiveSecurityContextHolder.withAuthentication(
                            UsernamePasswordAuthenticationToken.authenticated(tenant, null, List.of())));
            assertThat(handled.onErrorResume(IllegalStateException.class, e -> Mono.empty())
                    .thenReturn("done").block()).isEqualTo("done");

            send(request(HttpMethod.POST, "/api/ingest/document", "k3").header("X-Status", "429").body("{}"), echo);
            WebFilterChain busy = busyExchange -> {
                runs.incrementAndGet();
                busyExchange.getResponse().setStatusCode(HttpStatus.CONFLICT);
                busyExchange.getResponse().getHeaders().set(HttpHeaders.RETRY_AFTER, "5");
                return busyExchange.getResponse().setComplete();
            };
            send(request(HttpMethod.POST, "/api/ingest/document", "k3").body("{}"), busy);
            MockServerHttpResponse fourth = post("k3", "{}");

            assertThat(fourth.getStatusCode().value()).isEqualTo(201);
            assertThat(fourth.getHeaders().getFirst(IdempotencyFilter.REPLAYED_HEADER)).isNull();
            assertThat(runs.get()).isEqualTo(4);
            assertThat(post("k3", "{}").getHeaders().getFirst(IdempotencyFilter.REPLAYED_HEADER)).isEqualTo("true");
        }

        @Test
        void aRequestStillRunningAnswersConflict() {
            Sinks.Empty<Void> release = Sinks.empty();
            WebFilterChain slow = exchange -> release.asMono().then(echo.filter(exchange));
            MockServerWebExchange firstExchange = MockServerWebExchange.from(
                    request(HttpMethod.POST, "/api/documents/d-1", "k4").body("{}"));
            var first = filter.filter(firstExchange, slow).contextWrite(
                    ReactiveSecurityContextHolder.withAuthentication(
                            UsernamePasswordAuthenticationToken.authenticated(tenant, null, List.of()))).toFuture();

            MockServerHttpResponse conflict = send(request(HttpMethod.POST, "/api/documents/d-1", "k4").body("{}"),
                    echo);
            MockServerHttpResponse misuse = send(request(HttpMethod.POST, "/api/documents/d-1", "k4").body("{\"b\":2}"),
                    echo);

            assertThat(conflict.getStatusCode().value()).isEqualTo(409);
            assertThat(conflict.getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("1");
            assertThat(conflict.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
            assertThat(text(conflict)).contains("still being processed");
            assertThat(misuse.getStatusCode().value()).isEqualTo(422);
            assertThat(runs.get()).isZero();

            release.tryEmitEmpty();
            first.join();
            assertThat(firstExchange.getResponse().getStatusCode().value()).isEqualTo(201);
            assertThat(send(request(HttpMethod.POST, "/api/documents/d-1", "k4").body("{}"), echo)
                    .getHeaders().getFirst(IdempotencyFilter.REPLAYED_HEADER)).isEqualTo("true");
            assertThat(runs.get()).isEqualTo(1);
        }

        @Test
        void formAndMultipartDataAreReadFromTheBufferedBody() {
            WebFilterChain parts = exchange -> exchange.getMultipartData()
                    .flatMap(multipart -> DataBufferUtils.join(multipart.getFirst("file").content()))
                    .map(buffer -> {
                        String text = buffer.toString(StandardCharsets.UTF_8);
                        DataBufferUtils.release(buffer);
                        return text;
                    })
                    .zipWith(exchange.getFormData())
                    .flatMap(read -> {
                        runs.incrementAndGet();
                        lastBody.set(read.getT1() + "|form:" + read.getT2());
                        return exchange.getResponse().setComplete();
                    });
            String boundary = "b0undary";
            String multipart = "--" + boundary + "\r\n"
                    + "Content-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\n"
                    + "Content-Type: text/plain\r\n\r\nfile content\r\n"
                    + "--" + boundary + "--\r\n";

            send(request(HttpMethod.POST, "/api/ingest/file", "k15")
                    .contentType(MediaType.parseMediaType("multipart/form-data; boundary=" + boundary))
                    .body(multipart), parts);
            assertThat(lastBody.get()).isEqualTo("file content|form:{}");

            WebFilterChain form = exchange -> exchange.getFormData().flatMap(data -> {
                runs.incrementAndGet();
                lastBody.set(data.toString());
                return exchange.getResponse().setComplete();
            });
            send(request(HttpMethod.POST, "/api/ingest/url", "k16")
                    .contentType(MediaType.APPLICATION_FORM_URLENCODED).body("url=https%3A%2F%2Fa.example&x=1"), form);
            assertThat(lastBody.get()).isEqualTo("{url=[https://a.example], x=[1]}");
            assertThat(runs.get()).isEqualTo(2);
        }

        @Test
        void aClientThatGivesUpDoesNotStopTheFirstRequestWhichStoresItsAnswer() {
            Sinks.Empty<Void> proceed = Sinks.empty();
            WebFilterChain slow = exchange -> proceed.asMono().then(echo.filter(exchange));
            MockServerWebExchange firstExchange = MockServerWebExchange.from(
                    request(HttpMethod.POST, "/api/ingest/document", "k17").body("{\"slow\":true}"));
            var client = filter.filter(firstExchange, slow).contextWrite(
                    ReactiveSecurityContextHolder.withAuthentication(
                            UsernamePasswordAuthenticationToken.authenticated(tenant, null, List.of()))).subscribe();

            client.dispose(); // the client timed out and closed the connection
            proceed.tryEmitEmpty();

            assertThat(runs.get()).isEqualTo(1);
            MockServerHttpResponse retry = post("k17", "{\"slow\":true}");
            assertThat(retry.getHeaders().getFirst(IdempotencyFilter.REPLAYED_HEADER)).isEqualTo("true");
            assertThat(text(retry)).isEqualTo("run 1: {\"slow\":true}");
            assertThat(runs.get()).isEqualTo(1);
        }

        @Test
        void aRefusedWebhookTokenIsNotStored() {
            WebFilterChain unknownToken = exchange -> {
                runs.incrementAndGet();
                exchange.getResponse().setStatusCode(HttpStatus.NOT_FOUND);
                return exchange.getResponse().setComplete();
            };
            send(filter, request(HttpMethod.POST, "/api/webhooks/in/made-up", "k18").body("{}"), unknownToken, null);
            send(filter, request(HttpMethod.POST, "/api/webhooks/in/made-up", "k18").body("{}"), unknownToken, null);
            // an authenticated tenant's 404 is final
            send(request(HttpMethod.DELETE, "/api/documents/missing", "k18").build(), unknownToken);
            MockServerHttpResponse replay = send(request(HttpMethod.DELETE, "/api/documents/missing", "k18").build(),
                    unknownToken);

            assertThat(runs.get()).isEqualTo(3);
            assertThat(replay.getStatusCode().value()).isEqualTo(404);
            assertThat(replay.getHeaders().getFirst(IdempotencyFilter.REPLAYED_HEADER)).isEqualTo("true");
        }

        @Test
        void anEmptyAnswerIsStoredAndReplayed() {
            WebFilterChain delete = exchange -> {
                runs.incrementAndGet();
                exchange.getResponse().setStatusCode(HttpStatus.NO_CONTENT);
                return Mono.empty();
            };
            send(request(HttpMethod.DELETE, "/api/documents/d-2", "k5").build(), delete);
            MockServerHttpResponse replay = send(request(HttpMethod.DELETE, "/api/documents/d-2", "k5").build(),
                    delete);

            assertThat(runs.get()).isEqualTo(1);
            assertThat(replay.getStatusCode().value()).isEqualTo(204);
            assertThat(replay.getHeaders().getFirst(IdempotencyFilter.REPLAYED_HEADER)).isEqualTo("true");
            assertThat(text(replay)).isEmpty();
        }

        @Test
        void aResponseWrittenInPiecesIsStoredWhole() {
            WebFilterChain pieces = exchange -> {
                runs.incrementAndGet();
                var factory = exchange.getResponse().bufferFactory();
                return exchange.getResponse().writeWith(Flux.range(0, 100)
                        .map(i -> factory.wrap(("piece " + i + ";").getBytes(StandardCharsets.UTF_8))));
            };
            MockServerHttpResponse first = send(request(HttpMethod.PUT, "/api/documents/d-3", "k6").body("x"), pieces);
            MockServerHttpResponse replay = send(request(HttpMethod.PUT, "/api/documents/d-3", "k6").body("x"),
                    pieces);

            assertThat(runs.get()).isEqualTo(1);
            assertThat(text(replay)).isEqualTo(text(first)).startsWith("piece 0;").endsWith("piece 99;");
        }

        @Test
        void aResponseOverOneMegabyteIsSentButNotStored() {
            byte[] big = new byte[IdempotencyFilter.MAX_STORED_RESPONSE_BYTES + 1];
            WebFilterChain large = exchange -> {
                runs.incrementAndGet();
                return exchange.getResponse().writeWith(Mono.just(exchange.getResponse().bufferFactory().wrap(big)));
            };
            WebFilterChain largeInPieces = exchange -> {
                runs.incrementAndGet();
                var factory = exchange.getResponse().bufferFactory();
                return exchange.getResponse().writeWith(Flux.range(0, 2)
                        .map(i -> factory.wrap(new byte[IdempotencyFilter.MAX_STORED_RESPONSE_BYTES / 2 + 1])));
            };

            MockServerHttpResponse first = send(request(HttpMethod.POST, "/api/ingest/batch", "k7").body("{}"), large);
            send(request(HttpMethod.POST, "/api/ingest/batch", "k7").body("{}"), large);
            MockServerHttpResponse pieces = send(request(HttpMethod.POST, "/api/ingest/batch", "k8").body("{}"),
                    largeInPieces);
            send(request(HttpMethod.POST, "/api/ingest/batch", "k8").body("{}"), largeInPieces);

            assertThat(first.getBodyAsString().block().length()).isEqualTo(big.length);
            assertThat(pieces.getBodyAsString().block().length())
                    .isEqualTo(2 * (IdempotencyFilter.MAX_STORED_RESPONSE_BYTES / 2 + 1));
            assertThat(runs.get()).isEqualTo(4);
        }

        @Test
        void aBodyTooLargeToBufferStreamsToTheHandlerAndIsFingerprintedByItsLength() {
            IdempotencyFilter small = filter(store, DataSize.ofBytes(10));
            String body = "0123456789-0123456789";
            MockServerHttpResponse first = send(small, request(HttpMethod.POST, "/api/ingest/file", "k9")
                    .contentLength(body.length()).contentType(MediaType.TEXT_PLAIN).body(body), echo, tenant);
            MockServerHttpResponse retry = send(small, request(HttpMethod.POST, "/api/ingest/file", "k9")
                    .contentLength(body.length()).contentType(MediaType.TEXT_PLAIN).body(body), echo, tenant);
            MockServerHttpResponse longer = send(small, request(HttpMethod.POST, "/api/ingest/file", "k9")
                    .contentLength(body.length() + 1).contentType(MediaType.TEXT_PLAIN).body(body + "!"), echo,
                    tenant);

            assertThat(lastBody.get()).isEqualTo(body);
            assertThat(text(first)).isEqualTo("run 1: " + body);
            assertThat(retry.getHeaders().getFirst(IdempotencyFilter.REPLAYED_HEADER)).isEqualTo("true");
            assertThat(longer.getStatusCode().value()).isEqualTo(422);
            assertThat(runs.get()).isEqualTo(1);
        }

        @Test
        void theWebhookPathIsKeyedByItsTokenWithoutAPrincipal() {
            send(filter, request(HttpMethod.POST, "/api/webhooks/in/tok-A", "k10").body("{}"), echo, null);
            MockServerHttpResponse replay = send(filter,
                    request(HttpMethod.POST, "/api/webhooks/in/tok-A", "k10").body("{}"), echo, null);
            MockServerHttpResponse otherToken = send(filter,
                    request(HttpMethod.POST, "/api/webhooks/in/tok-B", "k10").body("{}"), echo, null);
            // no principal and not a webhook: nothing to scope the key by, so the filter stays out of the way
            send(filter, request(HttpMethod.POST, "/api/ingest/document", "k10").body("{}"), echo, null);
            send(filter, request(HttpMethod.POST, "/api/ingest/document", "k10").body("{}"), echo, null);

            assertThat(replay.getHeaders().getFirst(IdempotencyFilter.REPLAYED_HEADER)).isEqualTo("true");
            assertThat(otherToken.getHeaders().getFirst(IdempotencyFilter.REPLAYED_HEADER)).isNull();
            assertThat(runs.get()).isEqualTo(4);
            assertThat(IdempotencyFilter.webhookScope("/api/webhooks/in/tok-A/extra"))
                    .isEqualTo(IdempotencyFilter.webhookScope("/api/webhooks/in/tok-A"))
                    .hasValueSatisfying(scope -> assertThat(scope).matches("webhook:[0-9a-f]{64}"));
            assertThat(IdempotencyFilter.webhookScope("/api/webhooks/in/")).isEmpty();
        }

        @Test
        void safeMethodsAndOtherPathsAreNotCovered() {
            send(request(HttpMethod.GET, "/api/documents/d-4", "k11").build(), echo);
            send(request(HttpMethod.GET, "/api/documents/d-4", "k11").build(), echo);
            send(request(HttpMethod.POST, "/search", "k11").body("{}"), echo);
            send(request(HttpMethod.POST, "/search", "k11").body("{}"), echo);
            send(request(HttpMethod.PUT, "/api/customers/config", "k11").body("{}"), echo);

            assertThat(runs.get()).isEqualTo(5);
        }

        @Test
        void runsWithoutIdempotencyWhenTheStoreIsDown() {
            IdempotencyStore down = new IdempotencyStore() {
                @Override
                public Mono<Claim> claim(Key key, String fingerprint, Duration lease) {
                    return Mono.error(new IllegalStateException("Redis is down"));
                }

                @Override
                public Mono<Boolean> complete(Lease lease, StoredResponse response, Duration ttl) {
                    return Mono.error(new IllegalStateException("Redis is down"));
                }

                @Override
                public Mono<Boolean> release(Lease lease) {
                    return Mono.error(new IllegalStateException("Redis is down"));
                }
            };
            IdempotencyFilter failOpen = filter(down, DataSize.ofMegabytes(25));
            MockServerHttpResponse first = send(failOpen,
                    request(HttpMethod.POST, "/api/ingest/document", "k12").body("{\"x\":1}"), echo, tenant);
            send(failOpen, request(HttpMethod.POST, "/api/ingest/document", "k12").body("{\"x\":1}"), echo, tenant);

            assertThat(first.getStatusCode().value()).isEqualTo(201);
            assertThat(lastBody.get()).isEqualTo("{\"x\":1}");
            assertThat(runs.get()).isEqualTo(2);
        }

        @Test
        void keysMustBeOneTo255PrintableAsciiCharacters() {
            assertThat(IdempotencyFilter.isValidKey("a")).isTrue();
            assertThat(IdempotencyFilter.isValidKey("x".repeat(255))).isTrue();
            assertThat(IdempotencyFilter.isValidKey("n8n exec 42 / item {1}")).isTrue();
            assertThat(IdempotencyFilter.isValidKey("")).isFalse();
            assertThat(IdempotencyFilter.isValidKey("   ")).isFalse();
            assertThat(IdempotencyFilter.isValidKey("x".repeat(256))).isFalse();
            assertThat(IdempotencyFilter.isValidKey("caf\u00e9")).isFalse();
            assertThat(IdempotencyFilter.isValidKey("a\u0000b")).isFalse();

            MockServerHttpResponse twoKeys = send(request(HttpMethod.POST, "/api/ingest/document", "k13")
                    .header(IdempotencyFilter.KEY_HEADER, "k14").body("{}"), echo);
            assertThat(twoKeys.getStatusCode().value()).isEqualTo(400);
            assertThat(runs.get()).isZero();
        }
    }

    @Nested
    class Fingerprints {

        @Test
        void coverMethodPathQueryAndBody() {
            byte[] body = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);
            String base = RequestFingerprint.ofBody(HttpMethod.POST, "/api/ingest/document",
                    MediaType.APPLICATION_JSON, body);

            assertThat(base).matches("[0-9a-f]{64}")
                    .isEqualTo(RequestFingerprint.ofBody(HttpMethod.POST, "/api/ingest/document",
                            MediaType.parseMediaType("application/json;charset=UTF-8"), body.clone()));
            Map<String, String> others = new HashMap<>();
            others.put("method", RequestFingerprint.ofBody(HttpMethod.PUT, "/api/ingest/document",
                    MediaType.APPLICATION_JSON, body));
            others.put("path", RequestFingerprint.ofBody(HttpMethod.POST, "/api/ingest/url",
                    MediaType.APPLICATION_JSON, body));
            others.put("query", RequestFingerprint.ofBody(HttpMethod.POST, "/api/ingest/document?x=1",
                    MediaType.APPLICATION_JSON, body));
            others.put("body", RequestFingerprint.ofBody(HttpMethod.POST, "/api/ingest/document",
                    MediaType.APPLICATION_JSON, "{\"a\":2}".getBytes(StandardCharsets.UTF_8)));
            others.put("length only", RequestFingerprint.ofMetadata(HttpMethod.POST, "/api/ingest/document",
                    MediaType.APPLICATION_JSON, body.length));
            assertThat(others.values()).doesNotContain(base).doesNotHaveDuplicates();
        }

        @Test
        void ignoreTheRandomBoundaryOfAMultipartRetry() {
            String first = multipart("----n8nBoundary111");
            String retry = multipart("----n8nBoundary222");
            String differentFile = multipart("----n8nBoundary333").replace("hello", "HELLO");

            assertThat(fingerprint("----n8nBoundary111", first))
                    .isEqualTo(fingerprint("----n8nBoundary222", retry))
                    .isNotEqualTo(fingerprint("----n8nBoundary333", differentFile));
            assertThat(RequestFingerprint.canonicalBody(
                    MediaType.parseMediaType("multipart/form-data; boundary=\"q\""), "a--qb".getBytes()))
                    .isEqualTo("a--b".getBytes());
        }

        private String multipart(String boundary) {
            return "--" + boundary + "\r\n"
                    + "Content-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\n"
                    + "Content-Type: text/plain\r\n\r\nhello\r\n"
                    + "--" + boundary + "--\r\n";
        }

        private String fingerprint(String boundary, String body) {
            return RequestFingerprint.ofBody(HttpMethod.POST, "/api/ingest/file",
                    MediaType.parseMediaType("multipart/form-data; boundary=" + boundary),
                    body.getBytes(StandardCharsets.US_ASCII));
        }
    }
}

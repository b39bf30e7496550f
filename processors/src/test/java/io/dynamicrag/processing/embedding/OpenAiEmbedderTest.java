package io.dynamicrag.processing.embedding;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.EncodingType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/** {@link OpenAiEmbedder} through openai-java against {@link FakeOpenAiServer}: the contract, then what it sends. */
class OpenAiEmbedderTest extends EmbedderContractTest {

    static final String KEY = "sk-test-Abc123SecretKeyValue9876";
    static final OpenAiEmbedder.RetryPolicy FAST_RETRY =
            new OpenAiEmbedder.RetryPolicy(3, Duration.ofMillis(1), Duration.ofSeconds(2));

    private FakeOpenAiServer server;

    @Override
    protected Embedder createEmbedder() throws Exception {
        server = new FakeOpenAiServer();
        return newEmbedder(OpenAiEmbedder.BatchLimits.DEFAULT);
    }

    @Override
    protected EmbeddingModels expectedModel() {
        return EmbeddingModels.TEXT_EMBEDDING_3_SMALL;
    }

    @AfterAll
    void stopServer() {
        server.close();
    }

    @BeforeEach
    void resetServer() {
        server.reset();
    }

    private OpenAiEmbedder newEmbedder(OpenAiEmbedder.BatchLimits limits) {
        return new OpenAiEmbedder(KEY, server.baseUrl(), EmbeddingModels.TEXT_EMBEDDING_3_SMALL, FAST_RETRY, limits,
                Duration.ofSeconds(10));
    }

    private static float[] expected(String text) {
        return FakeOpenAiServer.vectorFor("text-embedding-3-small", text, 1536);
    }

    @Test
    void shouldSendTheModelTheInputsAndTheTenantsKey() {
        List<float[]> vectors = embedder.embedAll(TEXTS);

        assertThat(server.requests()).hasSize(1);
        FakeOpenAiServer.Recorded request = server.requests().get(0);
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/v1/embeddings");
        assertThat(request.header("Authorization")).isEqualTo("Bearer " + KEY);
        assertThat(request.model()).isEqualTo("text-embedding-3-small");
        assertThat(request.inputs()).containsExactlyElementsOf(TEXTS);
        for (int i = 0; i < TEXTS.size(); i++) {
            assertArrayEquals(expected(TEXTS.get(i)), vectors.get(i), "exact float32 round trip of vector " + i);
        }
    }

    @Test
    void shouldAskForBase64AndDecodeItExactly() {
        // openai-java asks for base64 unless told otherwise; the vectors must still come back bit for bit
        embedder.embed("hello world");

        assertThat(server.requests().get(0).encodingFormat()).isEqualTo("base64");
    }

    @Test
    void shouldPutVectorsBackInInputOrderWhenTheServerAnswersOutOfOrder() {
        server.reverseOrder();

        List<float[]> vectors = embedder.embedAll(TEXTS);

        for (int i = 0; i < TEXTS.size(); i++) {
            assertArrayEquals(expected(TEXTS.get(i)), vectors.get(i));
        }
    }

    @Test
    void shouldSplitInputsIntoRequestsUnderTheTokenBudget() {
        List<String> texts = IntStream.range(0, 25).mapToObj(i -> "chunk number " + i + " of a long document")
                .toList();
        int perText = TokenCounter.cl100k().count(texts.get(10));
        long budget = perText * 4L + 1;

        try (OpenAiEmbedder small = newEmbedder(new OpenAiEmbedder.BatchLimits(2048, budget))) {
            EmbeddingResult result = small.embedWithUsage(texts);

            List<FakeOpenAiServer.Recorded> requests = server.requests();
            assertThat(requests).hasSizeGreaterThan(1);
            List<String> sent = new ArrayList<>();
            for (FakeOpenAiServer.Recorded request : requests) {
                assertThat(TokenCounter.cl100k().countAll(request.inputs())).isLessThanOrEqualTo(budget);
                sent.addAll(request.inputs());
            }
            assertThat(sent).containsExactlyElementsOf(texts);
            assertThat(result.vectors()).hasSize(texts.size());
            for (int i = 0; i < texts.size(); i++) {
                assertArrayEquals(expected(texts.get(i)), result.vectors().get(i));
            }
            assertThat(result.tokens()).isEqualTo(TokenCounter.cl100k().countAll(texts));
        }
    }

    @Test
    void shouldSplitInputsIntoRequestsOfAtMostTheInputLimit() {
        List<String> texts = IntStream.range(0, 10).mapToObj(i -> "text " + i).toList();

        try (OpenAiEmbedder small = newEmbedder(new OpenAiEmbedder.BatchLimits(3, 100_000))) {
            small.embedAll(texts);
        }

        assertThat(server.requests()).extracting(r -> r.inputs().size()).containsExactly(3, 3, 3, 1);
    }

    @Test
    void shouldRefuseAnInputLongerThanTheModelAcceptsWithoutSendingAnything() {
        String tooLong = "lorem ipsum ".repeat(5000);
        assertThat(TokenCounter.cl100k().count(tooLong)).isGreaterThan(8191);

        assertThatThrownBy(() -> embedder.embedAll(List.of("fine", tooLong)))
                .isInstanceOf(EmbeddingFailedException.class)
                .hasMessageContaining("input #2 of 2")
                .hasMessageContaining("at most 8191 tokens");
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void shouldRetryARateLimitAfterWaitingWhatRetryAfterMsAsks() {
        server.failNext(1, 429, Map.of("retry-after-ms", "300"), "rate_limit_exceeded", "Rate limit reached");

        float[] vector = embedder.embed("hello world");

        assertArrayEquals(expected("hello world"), vector);
        List<FakeOpenAiServer.Recorded> requests = server.requests();
        assertThat(requests).hasSize(2);
        assertThat(Duration.ofNanos(requests.get(1).nanoTime() - requests.get(0).nanoTime()))
                .isGreaterThanOrEqualTo(Duration.ofMillis(300));
    }

    @Test
    void shouldHonourRetryAfterInSeconds() {
        server.failNext(1, 429, Map.of("Retry-After", "1"), "rate_limit_exceeded", "Rate limit reached");

        embedder.embed("hello world");

        List<FakeOpenAiServer.Recorded> requests = server.requests();
        assertThat(requests).hasSize(2);
        assertThat(Duration.ofNanos(requests.get(1).nanoTime() - requests.get(0).nanoTime()))
                .isGreaterThanOrEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void shouldBackOffExponentiallyWhenTheServerSaysNothing() {
        server.failNext(2, 503);
        var policy = new OpenAiEmbedder.RetryPolicy(3, Duration.ofMillis(100), Duration.ofSeconds(5));

        try (OpenAiEmbedder slow = new OpenAiEmbedder(KEY, server.baseUrl(), EmbeddingModels.TEXT_EMBEDDING_3_SMALL,
                policy, OpenAiEmbedder.BatchLimits.DEFAULT, Duration.ofSeconds(10))) {
            slow.embed("hello world");
        }

        List<FakeOpenAiServer.Recorded> requests = server.requests();
        assertThat(requests).hasSize(3);
        assertThat(Duration.ofNanos(requests.get(1).nanoTime() - requests.get(0).nanoTime()))
                .isGreaterThanOrEqualTo(Duration.ofMillis(100));
        assertThat(Duration.ofNanos(requests.get(2).nanoTime() - requests.get(1).nanoTime()))
                .isGreaterThanOrEqualTo(Duration.ofMillis(200));
    }

    @Test
    void shouldGiveUpAfterThreeAttemptsOfServerErrors() {
        server.failNext(3, 500);

        EmbeddingFailedException failure = catchThrowableOfType(EmbeddingFailedException.class,
                () -> embedder.embed("hello world"));

        assertThat(server.requests()).hasSize(3);
        assertThat(failure.getMessage()).contains("HTTP 500").contains("after 3 attempts");
        assertThat(failure.isTransient()).isTrue();
        assertThat(failure.httpStatus()).hasValue(500);
    }

    @Test
    void shouldNotRetryARejectedKeyNorRevealIt() {
        server.failNext(1, 401, Map.of(), "invalid_api_key",
                "Incorrect API key provided: sk-test-****************9876. You can find your API key at "
                        + "https://platform.openai.com/account/api-keys.");

        EmbeddingFailedException failure = catchThrowableOfType(EmbeddingFailedException.class,
                () -> embedder.embed("hello world"));

        assertThat(server.requests()).hasSize(1);
        assertThat(failure.getMessage()).isEqualTo(
                "the OpenAI API rejected the key (401): check the tenant's OpenAI API key");
        assertThat(failure.isTransient()).isFalse();
        assertThat(failure.httpStatus()).hasValue(401);
        StringWriter trace = new StringWriter();
        failure.printStackTrace(new PrintWriter(trace));
        assertThat(trace.toString()).doesNotContain(KEY).doesNotContain("9876").doesNotContain("Abc123");
    }

    @Test
    void shouldNotRetryOtherClientErrors() {
        for (int status : new int[] {400, 403, 404}) {
            server.reset();
            server.failNext(1, status);

            EmbeddingFailedException failure = catchThrowableOfType(EmbeddingFailedException.class,
                    () -> embedder.embed("hello world"));

            assertThat(server.requests()).as("requests for %d", status).hasSize(1);
            assertThat(failure.httpStatus()).hasValue(status);
            assertThat(failure.isTransient()).isFalse();
            assertThat(failure.getMessage()).contains(String.valueOf(status));
        }
    }

    @Test
    void shouldMaskAKeyTheServerEchoesInAnErrorMessage() {
        server.failNext(1, 400, Map.of(), "invalid_request", "bad request made with " + KEY + " today");

        EmbeddingFailedException failure = catchThrowableOfType(EmbeddingFailedException.class,
                () -> embedder.embed("hello world"));

        assertThat(failure.getMessage()).contains("bad request made with *** today").doesNotContain(KEY);
    }

    @Test
    void shouldNotRetryAnExhaustedQuota() {
        server.failNext(3, 429, Map.of(), "insufficient_quota", "You exceeded your current quota");

        EmbeddingFailedException failure = catchThrowableOfType(EmbeddingFailedException.class,
                () -> embedder.embed("hello world"));

        assertThat(server.requests()).hasSize(1);
        assertThat(failure.getMessage()).contains("no quota left");
        assertThat(failure.isTransient()).isFalse();
    }

    @Test
    void shouldRetryNetworkFailuresThenFail() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        try (OpenAiEmbedder nowhere = new OpenAiEmbedder(KEY, "http://127.0.0.1:" + closedPort + "/v1",
                EmbeddingModels.TEXT_EMBEDDING_3_SMALL, FAST_RETRY, OpenAiEmbedder.BatchLimits.DEFAULT,
                Duration.ofSeconds(5))) {
            assertThatThrownBy(() -> nowhere.embed("hello world"))
                    .isInstanceOf(EmbeddingFailedException.class)
                    .hasMessageContaining("could not reach the embeddings server")
                    .hasMessageContaining("after 3 attempts")
                    .hasMessageNotContaining(KEY)
                    .satisfies(e -> assertThat(((EmbeddingFailedException) e).isTransient()).isTrue());
        }
    }

    @Test
    void shouldSayThatTheServerDidNotAnswerInTimeRatherThanThatItCouldNotBeReached() {
        // OkHttp's call time-out surfaces as "SocketException: Socket closed" at the root: the reason said "could
        // not reach the embeddings server (SocketException)" for a server that was reached and stayed silent
        server.delayResponses(Duration.ofSeconds(2));
        try (OpenAiEmbedder impatient = new OpenAiEmbedder(KEY, server.baseUrl(),
                EmbeddingModels.TEXT_EMBEDDING_3_SMALL, new OpenAiEmbedder.RetryPolicy(2, Duration.ZERO, Duration.ZERO),
                OpenAiEmbedder.BatchLimits.DEFAULT, Duration.ofMillis(300))) {
            assertThatThrownBy(() -> impatient.embed("hello world"))
                    .isInstanceOf(EmbeddingFailedException.class)
                    .hasMessage("the embeddings server at " + server.baseUrl()
                            + " did not answer any of 2 attempts within the 300 ms time-out")
                    .satisfies(e -> assertThat(((EmbeddingFailedException) e).isTransient()).isTrue());
        }
        assertThat(server.requests()).hasSize(2);
    }

    @Test
    void shouldRefuseVectorsOfAnotherSize() {
        server.dimensionsOverride(768);

        assertThatThrownBy(() -> embedder.embed("hello world"))
                .isInstanceOf(EmbeddingFailedException.class)
                .hasMessageContaining("768 dimensions")
                .hasMessageContaining("1536");
    }

    @Test
    void shouldRecordTheTokensTheServerReports() {
        server.reportUsage(777);

        EmbeddingResult result = embedder.embedWithUsage(List.of("hello world"));

        assertThat(result.tokens()).isEqualTo(777);
        assertThat(result.cost()).isEqualByComparingTo("0.00001554");
    }

    @Test
    void shouldCountTokensWithJtokkitWhenTheServerReportsNone() {
        server.omitUsage();
        List<String> texts = List.of("hello world", "The quick brown fox jumps over the lazy dog.");
        var cl100k = Encodings.newDefaultEncodingRegistry().getEncoding(EncodingType.CL100K_BASE);

        EmbeddingResult result = embedder.embedWithUsage(texts);

        assertThat(result.tokens()).isEqualTo(2 + cl100k.countTokens(texts.get(1)));
        assertThat(result.cost()).isEqualByComparingTo(EmbeddingModels.TEXT_EMBEDDING_3_SMALL.cost(result.tokens()));
    }

    @Test
    void shouldSendNothingForNoInputs() {
        EmbeddingResult result = embedder.embedWithUsage(List.of());

        assertThat(result.vectors()).isEmpty();
        assertThat(result.tokens()).isZero();
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void shouldRefuseEmptyText() {
        assertThatThrownBy(() -> embedder.embedAll(List.of("a", "")))
                .isInstanceOf(EmbeddingFailedException.class)
                .hasMessageContaining("input #2 of 2 is empty");
        assertThat(server.requests()).isEmpty();
    }
}

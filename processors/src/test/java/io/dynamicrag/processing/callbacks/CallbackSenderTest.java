package io.dynamicrag.processing.callbacks;

import com.sun.net.httpserver.HttpServer;
import io.dynamicrag.kernel.ids.DocumentId;
import io.dynamicrag.kernel.ids.TenantId;
import io.dynamicrag.kernel.ids.WebhookId;
import io.dynamicrag.kernel.webhooks.WebhookCallbackTargets;
import io.dynamicrag.processing.fetch.OutboundAddressPolicy;
import io.dynamicrag.processing.fetch.SafeHttpPoster;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.ArgumentMatchers.isNull;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.timeout;
import static org.mockito.Mockito.verify;

class CallbackSenderTest {

    private static final CompletionCallback CALLBACK = new CompletionCallback(WebhookId.random(), TenantId.random(),
            DocumentId.random(), 2, CompletionCallback.COMPLETED);
    private static final CallbackSettings FAST = new CallbackSettings(3, Duration.ofMillis(50), Duration.ofSeconds(1),
            Duration.ofSeconds(1), 1);

    private final List<String> signatures = new CopyOnWriteArrayList<>();
    private final Deque<Integer> answers = new ArrayDeque<>();
    private final CallbackDeliveryLog deliveries = mock(CallbackDeliveryLog.class);
    private final SafeHttpPoster poster = new SafeHttpPoster(new OutboundAddressPolicy(List.of("127.0.0.1/32")),
            SafeHttpPoster.Settings.defaults());
    private HttpServer server;
    private CallbackSender sender;

    private String start(Integer... statuses) throws IOException {
        answers.addAll(List.of(statuses));
        server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
        server.createContext("/cb", exchange -> {
            exchange.getRequestBody().readAllBytes();
            signatures.add(exchange.getRequestHeaders().getFirst("X-RAG-Signature"));
            Integer status;
            synchronized (answers) {
                status = answers.poll();
            }
            exchange.sendResponseHeaders(status == null ? 200 : status, -1);
            exchange.close();
        });
        server.start();
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/cb";
    }

    private CallbackSender sender(WebhookCallbackTargets targets) {
        sender = new CallbackSender(targets, poster, deliveries, FAST, Clock.systemUTC());
        return sender;
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
        if (sender != null) {
            sender.close();
        }
        poster.close();
    }

    @Test
    void retriesUntilTheReceiverAcceptsAndRecordsTheDelivery() throws IOException {
        String url = start(500, 503);
        sender((tenant, webhook) -> Optional.of(new WebhookCallbackTargets.CallbackTarget(url, "whsec_test")))
                .send(CALLBACK);

        verify(deliveries, timeout(5_000)).record(CALLBACK, "delivered", 3, 200, null);
        assertThat(signatures).hasSize(3).containsOnly(CallbackSignature.of("whsec_test", CALLBACK.body()));
    }

    @Test
    void givesUpAfterTheLastAttempt() throws IOException {
        String url = start(500, 500, 500, 500);
        sender((tenant, webhook) -> Optional.of(new WebhookCallbackTargets.CallbackTarget(url, "s"))).send(CALLBACK);

        verify(deliveries, timeout(5_000)).record(eq(CALLBACK), eq("failed"), eq(3), eq(500), any());
        // and no fourth attempt follows
        Awaitility.await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2))
                .until(() -> signatures.size() == 3);
    }

    @Test
    void aRefusedAddressIsNotRetried() {
        sender((tenant, webhook) -> Optional.of(new WebhookCallbackTargets.CallbackTarget(
                "http://169.254.169.254/hook", "s"))).send(CALLBACK);

        verify(deliveries, timeout(5_000)).record(eq(CALLBACK), eq("refused"), eq(1), isNull(), any());
    }

    @Test
    void aWebhookWithoutCallbackGetsNothingAndNothingIsRecorded() {
        sender((tenant, webhook) -> Optional.empty()).send(CALLBACK);
        Awaitility.await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).untilAsserted(() ->
                verify(deliveries, never()).record(any(), any(), anyInt(), any(), any()));
        assertThat(signatures).isEmpty();
    }

    @Test
    void theBodyIsExactlyTheContract() {
        assertThat(new String(CALLBACK.body())).isEqualTo("{\"document_id\":\"" + CALLBACK.documentId()
                + "\",\"version\":2,\"status\":\"completed\"}");
        assertThat(FAST.delayBefore(1)).isZero();
        assertThat(FAST.delayBefore(2)).isEqualTo(Duration.ofMillis(50));
        assertThat(FAST.delayBefore(3)).isEqualTo(Duration.ofMillis(100));
    }
}

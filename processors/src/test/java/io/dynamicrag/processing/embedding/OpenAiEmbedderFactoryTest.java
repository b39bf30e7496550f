package io.dynamicrag.processing.embedding;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OpenAiEmbedderFactoryTest {

    private FakeOpenAiServer server;
    private OpenAiEmbedderFactory factory;

    @BeforeEach
    void start() throws Exception {
        server = new FakeOpenAiServer();
        factory = new OpenAiEmbedderFactory(server.baseUrl(),
                new OpenAiEmbedder.RetryPolicy(3, Duration.ofMillis(1), Duration.ofSeconds(1)),
                OpenAiEmbedder.BatchLimits.DEFAULT, Duration.ofSeconds(10), 2);
    }

    @AfterEach
    void stop() {
        factory.close();
        server.close();
    }

    @Test
    void shouldDefaultToTheOpenAiApi() {
        try (OpenAiEmbedderFactory defaults = new OpenAiEmbedderFactory()) {
            assertThat(defaults.baseUrl()).isEqualTo("https://api.openai.com/v1");
            assertThat(defaults.embedder("sk-a", "text-embedding-3-large").baseUrl())
                    .isEqualTo("https://api.openai.com/v1");
        }
    }

    @Test
    void shouldReuseOneEmbedderPerKeyAndModel() {
        OpenAiEmbedder first = factory.embedder("sk-tenant-a", "text-embedding-3-small");

        assertThat(factory.embedder("sk-tenant-a", "text-embedding-3-small")).isSameAs(first);
        assertThat(factory.embedder("sk-tenant-b", "text-embedding-3-small")).isNotSameAs(first);
        assertThat(factory.embedder("sk-tenant-a", "text-embedding-3-large")).isNotSameAs(first);
    }

    @Test
    void shouldForgetTheLeastRecentlyUsedBeyondItsCapacity() {
        OpenAiEmbedder a = factory.embedder("sk-a", "text-embedding-3-small");
        OpenAiEmbedder b = factory.embedder("sk-b", "text-embedding-3-small");
        factory.embedder("sk-a", "text-embedding-3-small");
        factory.embedder("sk-c", "text-embedding-3-small");

        assertThat(factory.cachedCount()).isEqualTo(2);
        assertThat(factory.embedder("sk-a", "text-embedding-3-small")).isSameAs(a);
        assertThat(factory.embedder("sk-b", "text-embedding-3-small")).isNotSameAs(b);
    }

    @Test
    void shouldBuildEmbeddersThatUseTheConfiguredServerAndTheTenantsKey() {
        OpenAiEmbedder embedder = factory.embedder("sk-tenant-a", "TEXT-EMBEDDING-ADA-002");

        float[] vector = embedder.embed("hello world");

        assertThat(vector).hasSize(1536);
        assertThat(server.requests()).singleElement().satisfies(r -> {
            assertThat(r.header("authorization")).isEqualTo("Bearer sk-tenant-a");
            assertThat(r.model()).isEqualTo("text-embedding-ada-002");
        });
    }

    @Test
    void shouldRefuseAMissingKeyTheLocalModelAndUnknownModels() {
        assertThatThrownBy(() -> factory.embedder(" ", "text-embedding-3-small"))
                .isInstanceOf(EmbeddingFailedException.class)
                .hasMessageContaining("no OpenAI API key");
        assertThatThrownBy(() -> factory.embedder("sk-a", "all-minilm-l6-v2"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("runs locally");
        assertThatThrownBy(() -> factory.embedder("sk-a", "text-embedding-4-huge"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("text-embedding-3-small");
    }
}

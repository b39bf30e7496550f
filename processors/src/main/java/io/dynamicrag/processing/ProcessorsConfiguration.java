package io.dynamicrag.processing;

import io.dynamicrag.kernel.storage.BlobStore;
import io.dynamicrag.kernel.web.WebPageFetcher;
import io.dynamicrag.processing.fetch.OutboundAddressPolicy;
import io.dynamicrag.processing.fetch.SafeHttpFetcher;
import io.dynamicrag.processing.fetch.WebPageFetcherAdapter;
import io.dynamicrag.processing.embedding.Embedder;
import io.dynamicrag.processing.embedding.HashingBenchmarkEmbedder;
import io.dynamicrag.processing.embedding.LocalMiniLmEmbedder;
import io.dynamicrag.processing.embedding.OpenAiEmbedder;
import io.dynamicrag.processing.embedding.OpenAiEmbedderFactory;
import io.dynamicrag.processing.embedding.TenantEmbedders;
import io.dynamicrag.kernel.tenancy.TenantSecrets;
import io.dynamicrag.processing.index.LanceTenantCatalog;
import io.dynamicrag.processing.index.LanceTenantChunkIndex;
import io.dynamicrag.processing.index.RetainedVersions;
import io.dynamicrag.processing.index.TenantDatasets;
import io.dynamicrag.processing.index.TenantWriteLog;
import io.dynamicrag.processing.parsing.TikaDocumentParser;
import io.dynamicrag.processing.storage.FileSystemBlobStore;
import io.dynamicrag.processing.storage.S3BlobStore;
import io.dynamicrag.processing.storage.SignedUploadTokens;
import org.springframework.beans.factory.ObjectProvider;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

import java.nio.file.Path;
import java.util.Locale;

@Configuration
public class ProcessorsConfiguration {

    /**
     * The development-only default of {@code rag.storage.upload-secret}; every deployment sets RAG_UPLOAD_SECRET.
     * Public so a start-up guard can refuse it outside development.
     */
    public static final String DEV_UPLOAD_SECRET = "dev-only-insecure-upload-secret-change-me-0123456789";

    /**
     * Signs and verifies the file-system store's upload URLs ({@code PUT /api/uploads/{token}}). The development
     * default secret must be replaced in any deployment: set RAG_UPLOAD_SECRET (32+ bytes).
     */
    @Bean
    SignedUploadTokens signedUploadTokens(@Value("${rag.storage.upload-secret:"
            + DEV_UPLOAD_SECRET + "}") String uploadSecret) {
        return new SignedUploadTokens(uploadSecret);
    }

    /**
     * Raw uploads and processed artefacts: {@code rag.storage.type=filesystem} (default, under
     * {@code <data-dir>/blobs}) or {@code s3} ({@code rag.storage.s3.*}). An S3 store is closed with the context.
     */
    @Bean
    BlobStore blobStore(@Value("${rag.data-dir}") Path dataDir, Environment env, SignedUploadTokens uploadTokens) {
        String type = env.getProperty("rag.storage.type", "filesystem").trim().toLowerCase(Locale.ROOT);
        return switch (type) {
            case "filesystem", "" -> new FileSystemBlobStore(dataDir.resolve("blobs"), uploadTokens,
                    env.getProperty("rag.public-url", "http://localhost:" + env.getProperty("server.port", "8080")));
            case "s3" -> S3BlobStore.create(new S3BlobStore.Settings(
                    env.getProperty("rag.storage.s3.bucket", "dynamic-rag"),
                    env.getProperty("rag.storage.s3.region", "us-east-1"),
                    env.getProperty("rag.storage.s3.endpoint", ""),
                    env.getProperty("rag.storage.s3.path-style", Boolean.class, false),
                    env.getProperty("rag.storage.s3.access-key", ""),
                    env.getProperty("rag.storage.s3.secret-key", ""),
                    env.getProperty("rag.storage.s3.session-token", ""),
                    env.getProperty("rag.storage.s3.create-bucket", Boolean.class, true)));
            default -> throw new IllegalStateException(
                    "rag.storage.type (RAG_STORAGE_TYPE) must be filesystem or s3, not '" + type + "'");
        };
    }

    /** The local model; {@code rag.embedding.benchmark-hashing=true} swaps in a near-free stand-in for benchmarks. */
    @Bean
    Embedder embedder(@Value("${rag.embedding.benchmark-hashing:false}") boolean benchmarkHashing) {
        if (benchmarkHashing) {
            LoggerFactory.getLogger(ProcessorsConfiguration.class).warn("rag.embedding.benchmark-hashing is on: "
                    + "documents are embedded by feature hashing, not by the model. For benchmarks only: search "
                    + "quality is nothing like the model's.");
            return new HashingBenchmarkEmbedder();
        }
        return new LocalMiniLmEmbedder();
    }

    /** OpenAI or any OpenAI-compatible server ({@code rag.openai.base-url}, RAG_OPENAI_BASE_URL). */
    @Bean(destroyMethod = "close")
    OpenAiEmbedderFactory openAiEmbedderFactory(
            @Value("${rag.openai.base-url:" + OpenAiEmbedderFactory.DEFAULT_BASE_URL + "}") String baseUrl,
            @Value("${rag.openai.max-attempts:3}") int maxAttempts,
            @Value("${rag.openai.initial-backoff:PT2S}") java.time.Duration initialBackoff,
            @Value("${rag.openai.max-backoff:PT30S}") java.time.Duration maxBackoff,
            @Value("${rag.openai.timeout:PT60S}") java.time.Duration timeout) {
        return new OpenAiEmbedderFactory(baseUrl,
                new OpenAiEmbedder.RetryPolicy(maxAttempts, initialBackoff, maxBackoff),
                OpenAiEmbedder.BatchLimits.DEFAULT, timeout, OpenAiEmbedderFactory.DEFAULT_MAX_CACHED);
    }

    @Bean
    TenantEmbedders tenantEmbedders(Embedder embedder, OpenAiEmbedderFactory openAi, TenantSecrets secrets) {
        return new TenantEmbedders(embedder, openAi, secrets);
    }

    /**
     * Per-tenant Lance datasets (chunks, versions, catalog of every index generation) and their shared machinery: the
     * open-dataset LRU, the Lance session's cache bounds and maintenance settings come from {@code rag.index.*}
     * ({@code IndexConfiguration}); the search side may provide the {@link RetainedVersions} its as_of_version needs.
     */
    @Bean(destroyMethod = "close")
    TenantDatasets tenantDatasets(@Value("${rag.data-dir}") Path dataDir,
                                  LanceTenantChunkIndex.Settings indexSettings,
                                  ObjectProvider<RetainedVersions> retainedVersions,
                                  ObjectProvider<TenantWriteLog> writeLog,
                                  ObjectProvider<TenantDatasets.SessionCaches> sessionCaches) {
        TenantDatasets datasets = new TenantDatasets(dataDir, indexSettings,
                retainedVersions.getIfAvailable(() -> RetainedVersions.LATEST_ONLY),
                sessionCaches.getIfAvailable(() -> TenantDatasets.SessionCaches.DEFAULTS));
        writeLog.ifAvailable(datasets::recordWritesIn);
        return datasets;
    }

    /** The chunks and their history ({@code chunks.lance}, {@code versions.lance}) on the shared datasets. */
    @Bean
    LanceTenantChunkIndex tenantChunkIndex(TenantDatasets datasets) {
        return new LanceTenantChunkIndex(datasets);
    }

    /** Each tenant's document catalog ({@code catalog.lance} beside {@code chunks.lance}) on the shared datasets. */
    @Bean
    LanceTenantCatalog tenantCatalog(TenantDatasets datasets) {
        return new LanceTenantCatalog(datasets);
    }

    /** The index-generation read model changes in the activation's transaction (read-your-write for the switch). */
    @Bean
    org.axonframework.config.ConfigurerModule indexGenerationProjectionIsSubscribing() {
        return configurer -> configurer.eventProcessing(processing ->
                processing.registerSubscribingEventProcessor("index-generation-projection"));
    }

    @Bean(destroyMethod = "close")
    SafeHttpFetcher safeHttpFetcher(@Value("${rag.fetch.allowed-cidrs:}") java.util.List<String> allowedCidrs,
                                    @Value("${rag.fetch.connect-timeout:PT5S}") java.time.Duration connectTimeout,
                                    @Value("${rag.fetch.timeout:PT15S}") java.time.Duration timeout,
                                    @Value("${rag.fetch.max-bytes:10485760}") long maxBytes,
                                    @Value("${rag.fetch.max-redirects:5}") int maxRedirects) {
        java.util.List<String> cidrs = allowedCidrs.stream().map(String::trim).filter(c -> !c.isEmpty()).toList();
        return new SafeHttpFetcher(new OutboundAddressPolicy(cidrs), new SafeHttpFetcher.Settings(connectTimeout,
                timeout, maxBytes, maxRedirects, null));
    }

    @Bean
    WebPageFetcher webPageFetcher(SafeHttpFetcher fetcher) {
        return new WebPageFetcherAdapter(fetcher);
    }

    @Bean
    TikaDocumentParser documentParser(@Value("${rag.parsing.max-characters:20000000}") int maxCharacters) {
        return new TikaDocumentParser(maxCharacters);
    }
}

package io.dynamicrag.processing;

import io.dynamicrag.kernel.storage.BlobStore;
import io.dynamicrag.processing.embedding.Embedder;
import io.dynamicrag.processing.embedding.LocalMiniLmEmbedder;
import io.dynamicrag.processing.index.LanceTenantChunkIndex;
import io.dynamicrag.processing.index.TenantChunkIndex;
import io.dynamicrag.processing.parsing.TikaDocumentParser;
import io.dynamicrag.processing.storage.FileSystemBlobStore;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.nio.file.Path;

@Configuration
public class ProcessorsConfiguration {

    @Bean
    BlobStore blobStore(@Value("${rag.data-dir}") Path dataDir) {
        return new FileSystemBlobStore(dataDir.resolve("blobs"));
    }

    @Bean
    Embedder embedder() {
        return new LocalMiniLmEmbedder();
    }

    @Bean(destroyMethod = "close")
    LanceTenantChunkIndex tenantChunkIndex(@Value("${rag.data-dir}") Path dataDir, Embedder embedder) {
        return new LanceTenantChunkIndex(dataDir, embedder.dimensions());
    }

    @Bean
    TikaDocumentParser documentParser(@Value("${rag.parsing.max-characters:20000000}") int maxCharacters) {
        return new TikaDocumentParser(maxCharacters);
    }
}

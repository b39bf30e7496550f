package io.dynamicrag.processing.pipeline;

import io.dynamicrag.processing.embedding.TenantEmbedders;
import io.dynamicrag.processing.index.TenantIndexOwnership;
import io.dynamicrag.processing.index.TenantIndexSpaces;
import io.dynamicrag.processing.index.TenantWriteLocks;
import io.dynamicrag.processing.readmodel.ReadModelQueries;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

import java.nio.file.Path;
import java.time.Duration;

@Configuration
@ConditionalOnProperty(name = "rag.roles.worker", havingValue = "true", matchIfMissing = true)
class ReembeddingConfiguration {

    @Bean(destroyMethod = "close")
    TenantReembedding tenantReembedding(JdbcTemplate jdbc, ReadModelQueries queries, TenantIndexSpaces spaces,
                                        TenantEmbedders embedders, DocumentVersionIndexer indexer,
                                        PipelineArtefacts artefacts, CommandGateway commands,
                                        @Value("${rag.data-dir}") Path dataDir,
                                        @Value("${rag.reembedding.retired-generation-grace:PT2M}")
                                        Duration retiredGenerationGrace,
                                        TenantIndexOwnership ownership, TenantWriteLocks locks,
                                        @Value("${rag.reembedding.reconcile-interval:PT1M}") Duration reconcileEvery) {
        TenantReembedding reembedding = new TenantReembedding(jdbc, queries, spaces, embedders, indexer, artefacts,
                commands, dataDir, retiredGenerationGrace, ownership, locks);
        reembedding.reconcileEvery(reconcileEvery);
        return reembedding;
    }
}

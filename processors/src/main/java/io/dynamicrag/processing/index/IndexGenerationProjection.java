package io.dynamicrag.processing.index;

import io.dynamicrag.kernel.tenancy.api.event.IndexGenerationActivatedEvent;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.sql.Timestamp;

/**
 * Keeps {@code tenant_index_generations} in step with the Tenant aggregate's activations. Subscribing (registered in
 * {@code ProcessorsConfiguration}): the row changes in the activation command's transaction, so when the switch
 * returns every later search and index step sees the new generation.
 */
@Component
@ProcessingGroup(IndexGenerationProjection.PROCESSING_GROUP)
class IndexGenerationProjection {

    static final String PROCESSING_GROUP = "index-generation-projection";

    private final JdbcTemplate jdbc;

    IndexGenerationProjection(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @ResetHandler
    void reset() {
        jdbc.update("TRUNCATE tenant_index_generations");
    }

    @EventHandler
    void on(IndexGenerationActivatedEvent event) {
        jdbc.update("""
                        INSERT INTO tenant_index_generations
                            (customer_id, generation, embedding_model, dimensions, documents, chunks, activated_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?)
                        ON CONFLICT (customer_id) DO UPDATE SET generation = EXCLUDED.generation,
                            embedding_model = EXCLUDED.embedding_model, dimensions = EXCLUDED.dimensions,
                            documents = EXCLUDED.documents, chunks = EXCLUDED.chunks,
                            activated_at = EXCLUDED.activated_at
                        WHERE tenant_index_generations.generation < EXCLUDED.generation""",
                event.tenantId().value(), event.generation(), event.embeddingModel(), event.dimensions(),
                event.documents(), event.chunks(), Timestamp.from(event.activatedAt()));
    }
}

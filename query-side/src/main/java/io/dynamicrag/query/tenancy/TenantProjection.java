package io.dynamicrag.query.tenancy;

import io.dynamicrag.kernel.tenancy.api.TenantConfiguration;
import io.dynamicrag.kernel.tenancy.api.event.AdminRoleGrantedEvent;
import io.dynamicrag.kernel.tenancy.api.event.OpenAiKeyConfiguredEvent;
import io.dynamicrag.kernel.tenancy.api.event.IndexGenerationActivatedEvent;
import io.dynamicrag.kernel.tenancy.api.event.ReembeddingFailedEvent;
import io.dynamicrag.kernel.tenancy.api.event.TenantConfigurationChangedEvent;
import io.dynamicrag.kernel.tenancy.api.event.TenantProfileUpdatedEvent;
import io.dynamicrag.kernel.tenancy.api.event.TenantRegisteredEvent;
import io.dynamicrag.kernel.tenancy.api.event.TenantReinstatedEvent;
import io.dynamicrag.kernel.tenancy.api.event.TenantSuspendedEvent;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.sql.Timestamp;

/**
 * Builds {@code customers} and {@code customer_config} from tenant events. Runs as a subscribing processor (see
 * application.yml): in the command's own transaction, so a configuration change is in force — for rate limits,
 * chunking and the API — the moment the request that made it returns.
 */
@Component
@ProcessingGroup(TenantProjection.PROCESSING_GROUP)
class TenantProjection {

    static final String PROCESSING_GROUP = "tenant-projection";

    private final JdbcTemplate jdbc;

    TenantProjection(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @EventHandler
    void on(TenantRegisteredEvent event) {
        Timestamp at = Timestamp.from(event.registeredAt());
        jdbc.update("""
                INSERT INTO customers (id, email, company_name, status, created_at, updated_at)
                VALUES (?, ?, ?, 'active', ?, ?)
                ON CONFLICT (id) DO NOTHING""",
                event.tenantId().value(), event.email(), event.companyName(), at, at);
        writeConfiguration(event.tenantId().value(), TenantConfiguration.defaults(), at);
    }

    @EventHandler
    void on(TenantProfileUpdatedEvent event) {
        jdbc.update("UPDATE customers SET email = ?, company_name = ?, updated_at = ? WHERE id = ?",
                event.email(), event.companyName(), Timestamp.from(event.updatedAt()), event.tenantId().value());
    }

    @EventHandler
    void on(TenantConfigurationChangedEvent event) {
        writeConfiguration(event.tenantId().value(), event.configuration(), Timestamp.from(event.changedAt()));
    }

    @EventHandler
    void on(OpenAiKeyConfiguredEvent event) {
        jdbc.update("UPDATE customer_config SET openai_api_key_masked = ?, updated_at = ? WHERE customer_id = ?",
                event.configured() ? event.maskedKey() : null, Timestamp.from(event.configuredAt()),
                event.tenantId().value());
    }

    @EventHandler
    void on(IndexGenerationActivatedEvent event) {
        jdbc.update("""
                        UPDATE customer_config SET active_embedding_model = ?, reembedding_error = NULL, updated_at = ?
                        WHERE customer_id = ?""",
                event.embeddingModel(), Timestamp.from(event.activatedAt()), event.tenantId().value());
    }

    @EventHandler
    void on(ReembeddingFailedEvent event) {
        // only while that model is still the one asked for: a later change has its own outcome
        jdbc.update("""
                        UPDATE customer_config SET reembedding_error = ?, updated_at = ?
                        WHERE customer_id = ? AND embedding_model = ?""",
                event.reason(), Timestamp.from(event.failedAt()), event.tenantId().value(), event.embeddingModel());
    }

    @EventHandler
    void on(TenantSuspendedEvent event) {
        jdbc.update("UPDATE customers SET status = 'suspended', suspended_reason = ?, updated_at = ? WHERE id = ?",
                event.reason(), Timestamp.from(event.suspendedAt()), event.tenantId().value());
    }

    @EventHandler
    void on(TenantReinstatedEvent event) {
        jdbc.update("UPDATE customers SET status = 'active', suspended_reason = NULL, updated_at = ? WHERE id = ?",
                Timestamp.from(event.reinstatedAt()), event.tenantId().value());
    }

    @EventHandler
    void on(AdminRoleGrantedEvent event) {
        jdbc.update("UPDATE customers SET role = 'admin', updated_at = ? WHERE id = ?",
                Timestamp.from(event.grantedAt()), event.tenantId().value());
    }

    @ResetHandler
    void reset() {
        jdbc.update("TRUNCATE customer_config, customers");
    }

    private void writeConfiguration(java.util.UUID tenant, TenantConfiguration c, Timestamp at) {
        java.sql.Array types = jdbc.execute((ConnectionCallback<java.sql.Array>) connection ->
                connection.createArrayOf("text", c.allowedDocumentTypes().toArray()));
        jdbc.update("""
                INSERT INTO customer_config (customer_id, rate_limit_requests_per_minute, rate_limit_requests_per_day,
                    max_documents, max_file_size_mb, allowed_document_types, chunking_size, chunking_overlap,
                    chunking_strategy, embedding_model, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (customer_id) DO UPDATE SET
                    rate_limit_requests_per_minute = EXCLUDED.rate_limit_requests_per_minute,
                    rate_limit_requests_per_day = EXCLUDED.rate_limit_requests_per_day,
                    max_documents = EXCLUDED.max_documents, max_file_size_mb = EXCLUDED.max_file_size_mb,
                    allowed_document_types = EXCLUDED.allowed_document_types,
                    chunking_size = EXCLUDED.chunking_size, chunking_overlap = EXCLUDED.chunking_overlap,
                    chunking_strategy = EXCLUDED.chunking_strategy,
                    reembedding_error = CASE WHEN customer_config.embedding_model = EXCLUDED.embedding_model
                        THEN customer_config.reembedding_error END,
                    embedding_model = EXCLUDED.embedding_model, updated_at = EXCLUDED.updated_at""",
                tenant, c.rateLimitRequestsPerMinute(), c.rateLimitRequestsPerDay(), c.maxDocuments(),
                c.maxFileSizeMb(), types, c.chunkingSize(), c.chunkingOverlap(), c.chunkingStrategy(),
                c.embeddingModel(), at, at);
    }
}

package io.dynamicrag.query.tenancy;

import io.dynamicrag.kernel.ids.TenantId;
import io.dynamicrag.kernel.tenancy.api.TenantConfiguration;
import io.dynamicrag.kernel.tenancy.api.query.FindTenantConfigurationQuery;
import io.dynamicrag.kernel.tenancy.api.query.FindTenantsAwayFromConfiguredModelQuery;
import io.r2dbc.spi.Readable;
import org.axonframework.queryhandling.QueryHandler;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * A tenant's configuration from {@code customer_config}, for the processors (chunking settings, the embedding model
 * to re-embed into), which do not read the read model themselves. The subscribing tenant projection writes the row
 * in the command's transaction, so an answer never lags a configuration change that was acknowledged.
 */
@Component
class TenantConfigurationQueryHandler {

    private final DatabaseClient db;

    TenantConfigurationQueryHandler(DatabaseClient db) {
        this.db = db;
    }

    @QueryHandler
    CompletableFuture<Optional<TenantConfiguration>> handle(FindTenantConfigurationQuery query) {
        return db.sql("""
                        SELECT rate_limit_requests_per_minute, rate_limit_requests_per_day, max_documents,
                               max_file_size_mb, allowed_document_types, chunking_size, chunking_overlap,
                               embedding_model, chunking_strategy
                        FROM customer_config WHERE customer_id = :tenant""")
                .bind("tenant", query.tenantId().value())
                .map(TenantConfigurationQueryHandler::configuration)
                .one()
                .map(Optional::of)
                .defaultIfEmpty(Optional.empty())
                .toFuture();
    }

    /**
     * Tenants whose configured model differs from the one they are served on (given by the processors, which own
     * the index generations). One query: the tenants that have switched generation are joined in as arrays.
     */
    @QueryHandler
    CompletableFuture<List<TenantId>> handle(FindTenantsAwayFromConfiguredModelQuery query) {
        if (query.servingModels().isEmpty()) { // every tenant is served on the initial model
            return db.sql("SELECT customer_id FROM customer_config WHERE embedding_model <> :initial")
                    .bind("initial", query.initialModel())
                    .map(row -> new TenantId(row.get("customer_id", UUID.class)))
                    .all()
                    .collectList()
                    .toFuture();
        }
        UUID[] tenants = new UUID[query.servingModels().size()];
        String[] models = new String[tenants.length];
        int i = 0;
        for (Map.Entry<TenantId, String> serving : query.servingModels().entrySet()) {
            tenants[i] = serving.getKey().value();
            models[i++] = serving.getValue();
        }
        return db.sql("""
                        SELECT c.customer_id FROM customer_config c
                        LEFT JOIN unnest(CAST(:tenants AS uuid[]), CAST(:models AS text[])) AS g(customer_id, model)
                          ON g.customer_id = c.customer_id
                        WHERE c.embedding_model <> COALESCE(g.model, :initial)""")
                .bind("tenants", tenants)
                .bind("models", models)
                .bind("initial", query.initialModel())
                .map(row -> new TenantId(row.get("customer_id", UUID.class)))
                .all()
                .collectList()
                .toFuture();
    }

    private static TenantConfiguration configuration(Readable row) {
        String[] types = row.get("allowed_document_types", String[].class);
        return new TenantConfiguration(
                row.get("rate_limit_requests_per_minute", Integer.class),
                row.get("rate_limit_requests_per_day", Integer.class),
                row.get("max_documents", Integer.class),
                row.get("max_file_size_mb", Integer.class),
                types == null ? List.of() : Arrays.asList(types),
                row.get("chunking_size", Integer.class),
                row.get("chunking_overlap", Integer.class),
                row.get("embedding_model", String.class),
                row.get("chunking_strategy", String.class));
    }
}

package io.dynamicrag.query.tenancy;

import io.dynamicrag.kernel.ids.TenantId;
import io.dynamicrag.kernel.tenancy.api.TenantConfiguration;
import io.dynamicrag.kernel.tenancy.api.query.FindTenantConfigurationQuery;
import io.dynamicrag.kernel.tenancy.api.query.FindTenantsAwayFromConfiguredModelQuery;
import org.axonframework.queryhandling.QueryHandler;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * A tenant's configuration from {@code customer_config}, for the processors (chunking settings, the embedding model
 * to re-embed into), which do not read the read model themselves. The subscribing tenant projection writes the row
 * in the command's transaction, so an answer never lags a configuration change that was acknowledged. Read with
 * JDBC in the caller's thread: only the processors' blocking threads ask, once per chunk step (0.33-0.37 ms on the
 * local query bus here, of which the primary-key read is 0.08-0.12 ms).
 */
@Component
class TenantConfigurationQueryHandler {

    private final JdbcTemplate jdbc;

    TenantConfigurationQueryHandler(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @QueryHandler
    Optional<TenantConfiguration> handle(FindTenantConfigurationQuery query) {
        return jdbc.query("""
                        SELECT rate_limit_requests_per_minute, rate_limit_requests_per_day, max_documents,
                               max_file_size_mb, allowed_document_types, chunking_size, chunking_overlap,
                               embedding_model, chunking_strategy
                        FROM customer_config WHERE customer_id = ?""",
                (rs, i) -> configuration(rs), query.tenantId().value()).stream().findFirst();
    }

    /**
     * Tenants whose configured model differs from the one they are served on (given by the processors, which own
     * the index generations). One query: the tenants that have switched generation are joined in as arrays.
     */
    @QueryHandler
    List<TenantId> handle(FindTenantsAwayFromConfiguredModelQuery query) {
        UUID[] tenants = new UUID[query.servingModels().size()];
        String[] models = new String[tenants.length];
        int i = 0;
        for (Map.Entry<TenantId, String> serving : query.servingModels().entrySet()) {
            tenants[i] = serving.getKey().value();
            models[i++] = serving.getValue();
        }
        return jdbc.query("""
                        SELECT c.customer_id FROM customer_config c
                        LEFT JOIN unnest(CAST(? AS uuid[]), CAST(? AS text[])) AS g(customer_id, model)
                          ON g.customer_id = c.customer_id
                        WHERE c.embedding_model <> COALESCE(g.model, ?)""",
                (rs, row) -> new TenantId(rs.getObject(1, UUID.class)), tenants, models, query.initialModel());
    }

    private static TenantConfiguration configuration(ResultSet rs) throws SQLException {
        Array types = rs.getArray("allowed_document_types");
        return new TenantConfiguration(
                rs.getInt("rate_limit_requests_per_minute"),
                rs.getInt("rate_limit_requests_per_day"),
                rs.getInt("max_documents"),
                rs.getInt("max_file_size_mb"),
                types == null ? List.of() : Arrays.asList((String[]) types.getArray()),
                rs.getInt("chunking_size"),
                rs.getInt("chunking_overlap"),
                rs.getString("embedding_model"),
                rs.getString("chunking_strategy"));
    }
}

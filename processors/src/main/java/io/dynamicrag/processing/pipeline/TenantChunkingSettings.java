package io.dynamicrag.processing.pipeline;

import io.dynamicrag.kernel.ids.TenantId;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** Reads a tenant's chunking configuration from the {@code customer_config} read model (seed defaults 1000/200). */
@Component
class TenantChunkingSettings {

    static final int DEFAULT_SIZE = 1000;
    static final int DEFAULT_OVERLAP = 200;
    static final String DEFAULT_STRATEGY = "fixed";

    private final JdbcTemplate jdbc;

    TenantChunkingSettings(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    Settings forTenant(TenantId tenant) {
        return jdbc.query("""
                        SELECT chunking_size, chunking_overlap, chunking_strategy
                        FROM customer_config WHERE customer_id = ?""",
                        (rs, i) -> new Settings(rs.getInt(1), rs.getInt(2), rs.getString(3)), tenant.value())
                .stream().findFirst()
                .orElse(new Settings(DEFAULT_SIZE, DEFAULT_OVERLAP, DEFAULT_STRATEGY));
    }

    record Settings(int size, int overlap, String strategy) {
    }
}

package io.dynamicrag.processing.pipeline;

import io.dynamicrag.kernel.ids.TenantId;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** Reads a tenant's chunking configuration from the {@code customer_config} read model (seed defaults 1000/200). */
@Component
class TenantChunkingSettings {

    static final int DEFAULT_SIZE = 1000;
    static final int DEFAULT_OVERLAP = 200;

    private final JdbcTemplate jdbc;

    TenantChunkingSettings(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    Settings forTenant(TenantId tenant) {
        return jdbc.query("SELECT chunking_size, chunking_overlap FROM customer_config WHERE customer_id = ?",
                        (rs, i) -> new Settings(rs.getInt(1), rs.getInt(2)), tenant.value())
                .stream().findFirst()
                .orElse(new Settings(DEFAULT_SIZE, DEFAULT_OVERLAP));
    }

    record Settings(int size, int overlap) {
    }
}

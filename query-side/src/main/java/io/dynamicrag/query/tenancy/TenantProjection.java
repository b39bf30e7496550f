package io.dynamicrag.query.tenancy;

import io.dynamicrag.kernel.tenancy.api.event.TenantRegisteredEvent;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.sql.Timestamp;

/** Builds {@code customers} and {@code customer_config} (with the seed's defaults) from tenant events. */
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
        jdbc.update("""
                INSERT INTO customer_config (customer_id, created_at, updated_at) VALUES (?, ?, ?)
                ON CONFLICT (customer_id) DO NOTHING""", event.tenantId().value(), at, at);
    }

    @ResetHandler
    void reset() {
        jdbc.update("TRUNCATE customer_config, customers");
    }
}

package io.dynamicrag.command.ingestion;

import io.dynamicrag.kernel.ids.TenantId;
import io.dynamicrag.kernel.tenancy.api.TenantConfiguration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.util.Arrays;
import java.util.List;

/**
 * A tenant's ingestion limits, read from {@code customer_config} (kept in the command's transaction by the
 * subscribing tenant projection, so a change applies to the very next request).
 */
@Component
public class TenantDocumentLimits {

    private final JdbcTemplate jdbc;

    public TenantDocumentLimits(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public Limits of(TenantId tenant) {
        TenantConfiguration defaults = TenantConfiguration.defaults();
        return jdbc.query("""
                        SELECT max_documents, max_file_size_mb, allowed_document_types
                        FROM customer_config WHERE customer_id = ?""",
                (rs, i) -> new Limits(rs.getInt(1), rs.getInt(2),
                        Arrays.asList((String[]) rs.getArray(3).getArray())), tenant.value())
                .stream().findFirst()
                .orElse(new Limits(defaults.maxDocuments(), defaults.maxFileSizeMb(),
                        defaults.allowedDocumentTypes()));
    }

    int maxDocuments(TenantId tenant) {
        return of(tenant).maxDocuments();
    }

    public record Limits(int maxDocuments, int maxFileSizeMb, List<String> allowedDocumentTypes) {

        public long maxFileSizeBytes() {
            return maxFileSizeMb * 1024L * 1024L;
        }
    }
}

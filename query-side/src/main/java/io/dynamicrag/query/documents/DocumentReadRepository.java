package io.dynamicrag.query.documents;

import io.dynamicrag.kernel.ids.DocumentId;
import io.dynamicrag.kernel.ids.TenantId;
import io.dynamicrag.kernel.ingestion.api.query.DocumentStatusView;
import io.r2dbc.spi.Readable;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.time.OffsetDateTime;
import java.util.UUID;

/** Reads the document read model through R2DBC. Every query is scoped by tenant: there is no unscoped read. */
@Repository
public class DocumentReadRepository {

    private static final String DETAIL_COLUMNS = """
            id, title, doc_type, source_url, external_id, metadata::text AS metadata, content_hash, file_size_bytes,
            page_count, chunk_count, character_count, embedding_tokens_used, embedding_cost_usd, processing_time_ms,
            status, error_message, version, active_version, created_at, updated_at""";

    private final DatabaseClient db;

    DocumentReadRepository(DatabaseClient db) {
        this.db = db;
    }

    public Mono<DocumentStatusView> findStatus(TenantId tenant, DocumentId document) {
        return db.sql("""
                        SELECT id, status, version, chunk_count, character_count, error_message
                        FROM documents WHERE id = :id AND customer_id = :tenant""")
                .bind("id", document.value())
                .bind("tenant", tenant.value())
                .map(row -> new DocumentStatusView(row.get("id", UUID.class).toString(), row.get("status", String.class),
                        intOf(row, "version"), intOf(row, "chunk_count"), intOf(row, "character_count"),
                        row.get("error_message", String.class)))
                .one();
    }

    public Mono<DocumentDetails> findDetails(TenantId tenant, DocumentId document) {
        return db.sql("SELECT " + DETAIL_COLUMNS + " FROM documents WHERE id = :id AND customer_id = :tenant")
                .bind("id", document.value())
                .bind("tenant", tenant.value())
                .map(DocumentReadRepository::details)
                .one();
    }

    public Flux<DocumentDetails> page(TenantId tenant, String status, int page, int size) {
        return db.sql("SELECT " + DETAIL_COLUMNS + """
                         FROM documents WHERE customer_id = :tenant AND (:status = '' OR status = :status)
                        ORDER BY created_at DESC, id LIMIT :limit OFFSET :offset""")
                .bind("tenant", tenant.value())
                .bind("status", status == null ? "" : status)
                .bind("limit", size)
                .bind("offset", (long) page * size)
                .map(DocumentReadRepository::details)
                .all();
    }

    /** Every version of the document, newest first; empty when it is not the tenant's. */
    public Flux<VersionView> versions(TenantId tenant, DocumentId document) {
        return db.sql("""
                        SELECT v.version, v.content_hash, v.is_active, v.status, v.file_size_bytes, v.error_message,
                               v.created_at
                        FROM document_versions v JOIN documents d ON d.id = v.document_id
                        WHERE v.document_id = :id AND d.customer_id = :tenant
                        ORDER BY v.version DESC""")
                .bind("id", document.value())
                .bind("tenant", tenant.value())
                .map(row -> new VersionView(intOf(row, "version"), row.get("content_hash", String.class),
                        Boolean.TRUE.equals(row.get("is_active", Boolean.class)), row.get("status", String.class),
                        row.get("file_size_bytes", Long.class), row.get("error_message", String.class),
                        row.get("created_at", OffsetDateTime.class)))
                .all();
    }

    public Mono<Long> count(TenantId tenant, String status) {
        return db.sql("SELECT count(*) AS n FROM documents WHERE customer_id = :tenant "
                        + "AND (:status = '' OR status = :status)")
                .bind("tenant", tenant.value())
                .bind("status", status == null ? "" : status)
                .map(row -> row.get("n", Long.class))
                .one();
    }

    private static DocumentDetails details(Readable row) {
        return new DocumentDetails(
                row.get("id", UUID.class).toString(),
                row.get("title", String.class),
                row.get("doc_type", String.class),
                row.get("source_url", String.class),
                row.get("external_id", String.class),
                new MetadataJson(row.get("metadata", String.class)),
                row.get("content_hash", String.class),
                row.get("file_size_bytes", Long.class),
                row.get("page_count", Integer.class),
                intOf(row, "chunk_count"),
                intOf(row, "character_count"),
                row.get("embedding_tokens_used", Long.class),
                row.get("embedding_cost_usd", java.math.BigDecimal.class),
                row.get("processing_time_ms", Long.class),
                row.get("status", String.class),
                row.get("error_message", String.class),
                intOf(row, "version"),
                row.get("active_version", Integer.class),
                row.get("created_at", OffsetDateTime.class),
                row.get("updated_at", OffsetDateTime.class));
    }

    private static int intOf(Readable row, String column) {
        Integer value = row.get(column, Integer.class);
        return value == null ? 0 : value;
    }
}

package io.dynamicrag.query.usage;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dynamicrag.kernel.ids.TenantId;
import io.dynamicrag.kernel.usage.api.UsageMetric;
import io.dynamicrag.query.usage.UsageViews.CostRow;
import io.dynamicrag.query.usage.UsageViews.CustomerInfo;
import io.dynamicrag.query.usage.UsageViews.CustomerSummary;
import io.dynamicrag.query.usage.UsageViews.DocumentStats;
import io.dynamicrag.query.usage.UsageViews.DocumentTokens;
import io.dynamicrag.query.usage.UsageViews.DocumentTypeStats;
import io.dynamicrag.query.usage.UsageViews.ExportRow;
import io.dynamicrag.query.usage.UsageViews.MetricTotal;
import io.dynamicrag.query.usage.UsageViews.SystemStats;
import io.dynamicrag.query.usage.UsageViews.TopDocument;
import io.dynamicrag.query.usage.UsageViews.UsageBucket;
import io.r2dbc.spi.Readable;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Reads {@code usage_metrics}, {@code documents} and {@code customers} through R2DBC. Tenant reads are always scoped
 * by the caller's tenant; the admin reads are the only unscoped ones. Buckets are UTC.
 */
@Repository
class UsageReadRepository {

    private static final TypeReference<Map<String, String>> DETAILS = new TypeReference<>() {
    };

    private final DatabaseClient db;
    private final ObjectMapper json = new ObjectMapper();

    UsageReadRepository(DatabaseClient db) {
        this.db = db;
    }

    /** Every metric's sum in [from, to), all five metrics present (zeros included), in the metrics' order. */
    Mono<List<MetricTotal>> totals(TenantId tenant, TimeRange range) {
        return withTenant(db.sql("""
                        SELECT metric_type, SUM(metric_value)::bigint AS quantity, SUM(cost_usd) AS cost,
                               COUNT(*) AS records
                        FROM usage_metrics
                        WHERE (CAST(:tenant AS uuid) IS NULL OR customer_id = :tenant)
                          AND timestamp >= :from AND timestamp < :to
                        GROUP BY metric_type"""), tenant)
                .bind("from", range.fromUtc())
                .bind("to", range.toUtc())
                .map(row -> new MetricTotal(row.get("metric_type", String.class), longOf(row, "quantity"),
                        decimalOf(row, "cost"), longOf(row, "records")))
                .all()
                .collectList()
                .map(UsageReadRepository::allMetrics);
    }

    Mono<Long> apiCallsSince(TenantId tenant, Instant since) {
        return db.sql("""
                        SELECT COALESCE(SUM(metric_value), 0)::bigint AS calls FROM usage_metrics
                        WHERE customer_id = :tenant AND metric_type = 'api_call' AND timestamp >= :since""")
                .bind("tenant", tenant.value())
                .bind("since", since.atOffset(ZoneOffset.UTC))
                .map(row -> longOf(row, "calls"))
                .one();
    }

    /** Cost this range in total, of embeddings and of searches (the seed's overview). */
    Mono<BigDecimal[]> costs(TenantId tenant, TimeRange range) {
        return db.sql("""
                        SELECT COALESCE(SUM(cost_usd), 0) AS total,
                               COALESCE(SUM(cost_usd) FILTER (WHERE metric_type = 'embedding_tokens'), 0) AS embedding,
                               COALESCE(SUM(cost_usd) FILTER (WHERE metric_type = 'search_query'), 0) AS search
                        FROM usage_metrics
                        WHERE customer_id = :tenant AND timestamp >= :from AND timestamp < :to""")
                .bind("tenant", tenant.value())
                .bind("from", range.fromUtc())
                .bind("to", range.toUtc())
                .map(row -> new BigDecimal[] {decimalOf(row, "total"), decimalOf(row, "embedding"),
                        decimalOf(row, "search")})
                .one();
    }

    /** One bucket per period in the range (empty ones too), each with every metric's quantity and the cost. */
    Flux<UsageBucket> series(TenantId tenant, Period period, TimeRange range) {
        return db.sql("""
                        WITH buckets AS (
                            SELECT generate_series(date_trunc(:unit, :from AT TIME ZONE 'UTC'),
                                                   :to AT TIME ZONE 'UTC' - INTERVAL '1 microsecond',
                                                   CAST('1 ' || :unit AS interval)) AS bucket
                        ), usage AS (
                            SELECT date_trunc(:unit, timestamp AT TIME ZONE 'UTC') AS bucket, metric_type,
                                   SUM(metric_value) AS quantity, SUM(cost_usd) AS cost
                            FROM usage_metrics
                            WHERE customer_id = :tenant AND timestamp >= :from AND timestamp < :to
                            GROUP BY 1, 2
                        )
                        SELECT b.bucket AS bucket,
                               COALESCE(SUM(u.quantity) FILTER (WHERE u.metric_type = 'api_call'), 0)::bigint AS api_call,
                               COALESCE(SUM(u.quantity) FILTER (WHERE u.metric_type = 'embedding_tokens'), 0)::bigint
                                   AS embedding_tokens,
                               COALESCE(SUM(u.quantity) FILTER (WHERE u.metric_type = 'storage_bytes'), 0)::bigint
                                   AS storage_bytes,
                               COALESCE(SUM(u.quantity) FILTER (WHERE u.metric_type = 'search_query'), 0)::bigint
                                   AS search_query,
                               COALESCE(SUM(u.quantity) FILTER (WHERE u.metric_type = 'document_processed'), 0)::bigint
                                   AS document_processed,
                               COALESCE(SUM(u.cost), 0) AS cost
                        FROM buckets b LEFT JOIN usage u ON u.bucket = b.bucket
                        GROUP BY b.bucket ORDER BY b.bucket""")
                .bind("unit", period.unit())
                .bind("tenant", tenant.value())
                .bind("from", range.fromUtc())
                .bind("to", range.toUtc())
                .map(row -> new UsageBucket(utc(row, "bucket"), longOf(row, "api_call"),
                        longOf(row, "embedding_tokens"), longOf(row, "storage_bytes"), longOf(row, "search_query"),
                        longOf(row, "document_processed"), decimalOf(row, "cost")))
                .all();
    }

    /** The seed's cost breakdown: per period and metric, newest period first. */
    Flux<CostRow> costBreakdown(TenantId tenant, Period period, TimeRange range) {
        return db.sql("""
                        SELECT date_trunc(:unit, timestamp AT TIME ZONE 'UTC') AS period, metric_type,
                               SUM(metric_value)::bigint AS total_usage, SUM(cost_usd) AS total_cost,
                               COUNT(*) AS count
                        FROM usage_metrics
                        WHERE customer_id = :tenant AND timestamp >= :from AND timestamp < :to
                        GROUP BY 1, 2 ORDER BY 1 DESC, 2""")
                .bind("unit", period.unit())
                .bind("tenant", tenant.value())
                .bind("from", range.fromUtc())
                .bind("to", range.toUtc())
                .map(row -> new CostRow(utc(row, "period"), row.get("metric_type", String.class),
                        longOf(row, "total_usage"), decimalOf(row, "total_cost"), longOf(row, "count")))
                .all();
    }

    /** The seed's document statistics over the tenant's current documents (every tenant when null). */
    Mono<DocumentStats> documentStats(TenantId tenant) {
        return withTenant(db.sql("""
                        SELECT COUNT(*) AS total_documents, COALESCE(SUM(file_size_bytes), 0)::bigint AS total_size,
                               COALESCE(SUM(embedding_tokens_used), 0)::bigint AS total_tokens,
                               COALESCE(SUM(embedding_cost_usd), 0) AS total_embedding_cost,
                               COUNT(*) FILTER (WHERE status = 'processing') AS processing,
                               COUNT(*) FILTER (WHERE status = 'completed') AS completed,
                               COUNT(*) FILTER (WHERE status = 'failed') AS failed,
                               COALESCE(SUM(chunk_count), 0)::bigint AS total_chunks,
                               COALESCE(SUM(character_count), 0)::bigint AS total_characters,
                               ROUND(AVG(processing_time_ms) FILTER (WHERE status = 'completed'))::bigint
                                   AS avg_processing_time_ms
                        FROM documents WHERE (CAST(:tenant AS uuid) IS NULL OR customer_id = :tenant)"""), tenant)
                .map(row -> new DocumentStats(longOf(row, "total_documents"), longOf(row, "total_size"),
                        longOf(row, "total_tokens"), decimalOf(row, "total_embedding_cost"),
                        longOf(row, "processing"), longOf(row, "completed"), longOf(row, "failed"),
                        longOf(row, "total_chunks"), longOf(row, "total_characters"),
                        row.get("avg_processing_time_ms", Long.class)))
                .one();
    }

    Flux<DocumentTypeStats> documentTypes(TenantId tenant) {
        return db.sql("""
                        SELECT doc_type, COUNT(*) AS documents, COALESCE(SUM(file_size_bytes), 0)::bigint AS total_size
                        FROM documents WHERE customer_id = :tenant GROUP BY doc_type ORDER BY 2 DESC, 1""")
                .bind("tenant", tenant.value())
                .map(row -> new DocumentTypeStats(row.get("doc_type", String.class), longOf(row, "documents"),
                        longOf(row, "total_size")))
                .all();
    }

    /** The seed's token usage per completed document, most tokens first, created in [from, to). */
    Flux<DocumentTokens> tokensPerDocument(TenantId tenant, TimeRange range, int limit) {
        return db.sql("""
                        SELECT id, title, doc_type, chunk_count, character_count, embedding_tokens_used,
                               embedding_cost_usd, processing_time_ms, created_at
                        FROM documents
                        WHERE customer_id = :tenant AND status = 'completed'
                          AND created_at >= :from AND created_at < :to
                        ORDER BY embedding_tokens_used DESC, created_at, id LIMIT :limit""")
                .bind("tenant", tenant.value())
                .bind("from", range.fromUtc())
                .bind("to", range.toUtc())
                .bind("limit", limit)
                .map(row -> new DocumentTokens(row.get("id", UUID.class).toString(), row.get("title", String.class),
                        row.get("doc_type", String.class), intOf(row, "chunk_count"), intOf(row, "character_count"),
                        longOf(row, "embedding_tokens_used"), decimalOf(row, "embedding_cost_usd"),
                        row.get("processing_time_ms", Long.class), instantOf(row, "created_at")))
                .all();
    }

    /** Tokens and cost of all completed documents created in [from, to) (not only the listed ones). */
    Mono<Object[]> tokenTotals(TenantId tenant, TimeRange range) {
        return db.sql("""
                        SELECT COALESCE(SUM(embedding_tokens_used), 0)::bigint AS tokens,
                               COALESCE(SUM(embedding_cost_usd), 0) AS cost
                        FROM documents
                        WHERE customer_id = :tenant AND status = 'completed'
                          AND created_at >= :from AND created_at < :to""")
                .bind("tenant", tenant.value())
                .bind("from", range.fromUtc())
                .bind("to", range.toUtc())
                .map(row -> new Object[] {longOf(row, "tokens"), decimalOf(row, "cost")})
                .one();
    }

    /** The tenant's usage rows in [from, to), oldest first, with the document's current title when it exists. */
    Flux<ExportRow> export(TenantId tenant, TimeRange range, int limit) {
        return db.sql("""
                        SELECT u.timestamp, u.metric_type, u.metric_value, u.cost_usd, u.document_id,
                               d.title AS document_title, u.metadata::text AS details
                        FROM usage_metrics u
                        LEFT JOIN documents d ON d.id = u.document_id AND d.customer_id = u.customer_id
                        WHERE u.customer_id = :tenant AND u.timestamp >= :from AND u.timestamp < :to
                        ORDER BY u.timestamp, u.id LIMIT :limit""")
                .bind("tenant", tenant.value())
                .bind("from", range.fromUtc())
                .bind("to", range.toUtc())
                .bind("limit", limit)
                .map(row -> new ExportRow(instantOf(row, "timestamp"), row.get("metric_type", String.class),
                        longOf(row, "metric_value"), decimalOf(row, "cost_usd"),
                        row.get("document_id", UUID.class) == null ? null
                                : row.get("document_id", UUID.class).toString(),
                        row.get("document_title", String.class), details(row.get("details", String.class))))
                .all();
    }

    Mono<CustomerInfo> customer(UUID id) {
        return db.sql("SELECT id, email, company_name, status, created_at FROM customers WHERE id = :id")
                .bind("id", id)
                .map(row -> new CustomerInfo(row.get("id", UUID.class).toString(), row.get("email", String.class),
                        row.get("company_name", String.class), row.get("status", String.class),
                        instantOf(row, "created_at")))
                .one();
    }

    Mono<Long> customerCount() {
        return db.sql("SELECT COUNT(*) AS n FROM customers").map(row -> longOf(row, "n")).one();
    }

    /**
     * A page of customers with their document count (current documents) and their metered tokens and cost (the
     * usage ledger, all time). {@code sortColumn} is one of the whitelisted expressions of {@link CustomerSort}.
     */
    Flux<CustomerSummary> customers(CustomerSort sort, boolean descending, int limit, long offset) {
        String direction = descending ? "DESC" : "ASC";
        return db.sql("""
                        SELECT c.id, c.email, c.company_name, c.status, c.created_at,
                               COALESCE(d.documents, 0) AS total_documents, COALESCE(u.tokens, 0) AS total_tokens,
                               COALESCE(u.cost, 0) AS total_cost
                        FROM customers c
                        LEFT JOIN (SELECT customer_id, COUNT(*) AS documents FROM documents GROUP BY customer_id) d
                               ON d.customer_id = c.id
                        LEFT JOIN (SELECT customer_id,
                                          COALESCE(SUM(metric_value) FILTER (WHERE metric_type = 'embedding_tokens'),
                                                   0)::bigint AS tokens,
                                          SUM(cost_usd) AS cost
                                   FROM usage_metrics GROUP BY customer_id) u ON u.customer_id = c.id
                        ORDER BY %s %s, c.created_at, c.id
                        LIMIT :limit OFFSET :offset""".formatted(sort.column(), direction))
                .bind("limit", limit)
                .bind("offset", offset)
                .map(row -> new CustomerSummary(row.get("id", UUID.class).toString(), row.get("email", String.class),
                        row.get("company_name", String.class), row.get("status", String.class),
                        longOf(row, "total_documents"), longOf(row, "total_tokens"), decimalOf(row, "total_cost"),
                        instantOf(row, "created_at")))
                .all();
    }

    /** The seed's system-wide figures over completed documents, and the number of customer accounts. */
    Mono<SystemStats> systemStats() {
        return db.sql("""
                        SELECT (SELECT COUNT(*) FROM customers) AS total_customers, COUNT(*) AS total_documents,
                               COALESCE(SUM(embedding_tokens_used), 0)::bigint AS total_tokens,
                               COALESCE(SUM(embedding_cost_usd), 0) AS total_cost,
                               ROUND(AVG(embedding_tokens_used))::bigint AS avg_tokens_per_doc,
                               ROUND(AVG(processing_time_ms))::bigint AS avg_processing_time
                        FROM documents WHERE status = 'completed'""")
                .map(row -> new SystemStats(longOf(row, "total_customers"), longOf(row, "total_documents"),
                        longOf(row, "total_tokens"), decimalOf(row, "total_cost"),
                        row.get("avg_tokens_per_doc", Long.class), row.get("avg_processing_time", Long.class)))
                .one();
    }

    /** The seed's top token consumers: the completed documents with the most tokens, with their owner. */
    Flux<TopDocument> topDocuments(int limit) {
        return db.sql("""
                        SELECT d.customer_id, c.email, d.id, d.title, d.embedding_tokens_used, d.embedding_cost_usd,
                               d.created_at
                        FROM documents d LEFT JOIN customers c ON c.id = d.customer_id
                        WHERE d.status = 'completed'
                        ORDER BY d.embedding_tokens_used DESC, d.created_at, d.id LIMIT :limit""")
                .bind("limit", limit)
                .map(row -> new TopDocument(row.get("customer_id", UUID.class).toString(),
                        row.get("email", String.class), row.get("id", UUID.class).toString(),
                        row.get("title", String.class), longOf(row, "embedding_tokens_used"),
                        decimalOf(row, "embedding_cost_usd"), instantOf(row, "created_at")))
                .all();
    }

    private Map<String, String> details(String text) {
        if (text == null || text.isBlank()) {
            return Map.of();
        }
        try {
            return json.readValue(text, DETAILS);
        } catch (Exception e) {
            return Map.of();
        }
    }

    private static List<MetricTotal> allMetrics(List<MetricTotal> found) {
        Map<String, MetricTotal> byType = new LinkedHashMap<>();
        Arrays.stream(UsageMetric.values()).forEach(m ->
                byType.put(m.code(), new MetricTotal(m.code(), 0, BigDecimal.ZERO, 0)));
        found.forEach(t -> byType.put(t.metricType(), t));
        return new ArrayList<>(byType.values());
    }

    /** Binds {@code :tenant}, or SQL NULL (every tenant) for the admin's system-wide figures. */
    private static DatabaseClient.GenericExecuteSpec withTenant(DatabaseClient.GenericExecuteSpec spec,
                                                                TenantId tenant) {
        return tenant == null ? spec.bindNull("tenant", UUID.class) : spec.bind("tenant", tenant.value());
    }

    static long longOf(Readable row, String column) {
        Number value = row.get(column, Number.class);
        return value == null ? 0 : value.longValue();
    }

    static int intOf(Readable row, String column) {
        Number value = row.get(column, Number.class);
        return value == null ? 0 : value.intValue();
    }

    static BigDecimal decimalOf(Readable row, String column) {
        BigDecimal value = row.get(column, BigDecimal.class);
        return value == null ? BigDecimal.ZERO : value;
    }

    static Instant instantOf(Readable row, String column) {
        OffsetDateTime value = row.get(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    /** A {@code timestamp without time zone} computed in UTC (date_trunc of {@code AT TIME ZONE 'UTC'}). */
    static Instant utc(Readable row, String column) {
        java.time.LocalDateTime value = row.get(column, java.time.LocalDateTime.class);
        return value == null ? null : value.toInstant(ZoneOffset.UTC);
    }
}

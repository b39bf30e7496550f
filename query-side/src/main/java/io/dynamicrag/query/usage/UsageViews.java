package io.dynamicrag.query.usage;

import com.fasterxml.jackson.databind.annotation.JsonSerialize;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The JSON answers of the metrics, usage and admin endpoints (snake_case by the application's mapper). */
final class UsageViews {

    private UsageViews() {
    }

    /** One metric's sum over a range: {@code quantity} units, {@code cost}, from {@code records} usage rows. */
    record MetricTotal(String metricType, long quantity,
                       @JsonSerialize(using = PlainDecimalSerializer.class) BigDecimal cost, long records) {
    }

    /** The seed's document statistics of a tenant (or of everyone). */
    record DocumentStats(long totalDocuments, long totalSize, long totalTokens,
                         @JsonSerialize(using = PlainDecimalSerializer.class) BigDecimal totalEmbeddingCost,
                         long processing, long completed, long failed, long totalChunks, long totalCharacters,
                         Long avgProcessingTimeMs) {
    }

    record DocumentTypeStats(String docType, long documents, long totalSize) {
    }

    record DocumentMetrics(long totalDocuments, long totalSize, long totalTokens,
                           @JsonSerialize(using = PlainDecimalSerializer.class) BigDecimal totalEmbeddingCost,
                           long processing, long completed, long failed, long totalChunks, long totalCharacters,
                           Long avgProcessingTimeMs, List<DocumentTypeStats> byType) {
    }

    record Costs(Instant from, Instant to,
                 @JsonSerialize(using = PlainDecimalSerializer.class) BigDecimal totalCost,
                 @JsonSerialize(using = PlainDecimalSerializer.class) BigDecimal embeddingCost,
                 @JsonSerialize(using = PlainDecimalSerializer.class) BigDecimal searchCost) {
    }

    /** A rate-limit window as the seed's {@code rate_limit_tracker} row, with the limit and what remains. */
    record RateLimitRow(String endpoint, String window, long requestCount, long limit, long remaining,
                        Instant windowEnd) {
    }

    record Overview(long apiCalls, DocumentStats documents, Costs costs, List<MetricTotal> usageThisMonth,
                    List<RateLimitRow> rateLimits) {
    }

    /** One bucket of the usage series: every metric's quantity and the bucket's total cost. */
    record UsageBucket(Instant periodStart, long apiCall, long embeddingTokens, long storageBytes, long searchQuery,
                       long documentProcessed,
                       @JsonSerialize(using = PlainDecimalSerializer.class) BigDecimal cost) {
    }

    record UsageSeries(String period, Instant from, Instant to, List<MetricTotal> totals,
                       List<UsageBucket> series) {
    }

    /** The seed's cost breakdown row: a period, a metric, its usage, cost and number of records. */
    record CostRow(Instant period, String metricType, long totalUsage,
                   @JsonSerialize(using = PlainDecimalSerializer.class) BigDecimal totalCost, long count) {
    }

    record CostBreakdown(String period, Instant from, Instant to,
                         @JsonSerialize(using = PlainDecimalSerializer.class) BigDecimal totalCost,
                         List<CostRow> breakdown) {
    }

    record DocumentTokens(String documentId, String title, String docType, int chunkCount, int characterCount,
                          long embeddingTokensUsed,
                          @JsonSerialize(using = PlainDecimalSerializer.class) BigDecimal embeddingCostUsd,
                          Long processingTimeMs, Instant createdAt) {
    }

    record TokenMetrics(Instant from, Instant to, int limit, long totalTokens,
                        @JsonSerialize(using = PlainDecimalSerializer.class) BigDecimal totalCost,
                        List<DocumentTokens> documents) {
    }

    record ExportRow(Instant timestamp, String metricType, long metricValue,
                     @JsonSerialize(using = PlainDecimalSerializer.class) BigDecimal costUsd, String documentId,
                     String documentTitle, Map<String, String> details) {
    }

    record Export(String customerId, Instant from, Instant to, List<ExportRow> rows) {
    }

    record CustomerUsage(String customerId, Instant from, Instant to, List<MetricTotal> metrics,
                         @JsonSerialize(using = PlainDecimalSerializer.class) BigDecimal totalCost,
                         DocumentStats documents) {
    }

    record CustomerInfo(String customerId, String email, String companyName, String status, Instant createdAt) {
    }

    record AdminCustomerUsage(CustomerInfo customer, CustomerUsage usage) {
    }

    record CustomerSummary(String customerId, String email, String companyName, String status, long totalDocuments,
                           long totalTokens,
                           @JsonSerialize(using = PlainDecimalSerializer.class) BigDecimal totalCost,
                           Instant createdAt) {
    }

    record CustomerPage(List<CustomerSummary> customers, int page, int limit, long total, String sort,
                        String order) {
    }

    record SystemStats(long totalCustomers, long totalDocuments, long totalTokens,
                       @JsonSerialize(using = PlainDecimalSerializer.class) BigDecimal totalCost,
                       Long avgTokensPerDoc, Long avgProcessingTime) {
    }

    record TopDocument(String customerId, String email, String documentId, String title, long embeddingTokensUsed,
                       @JsonSerialize(using = PlainDecimalSerializer.class) BigDecimal embeddingCostUsd,
                       Instant createdAt) {
    }

    record GlobalMetrics(SystemStats systemStats, List<MetricTotal> usageThisMonth,
                         List<CustomerSummary> topCustomers, List<TopDocument> topUsers) {
    }
}

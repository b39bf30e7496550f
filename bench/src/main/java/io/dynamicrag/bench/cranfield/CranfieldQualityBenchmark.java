package io.dynamicrag.bench.cranfield;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dynamicrag.bench.api.RagApiClient;
import io.dynamicrag.bench.metrics.Latencies;
import io.dynamicrag.bench.metrics.MachineFacts;
import io.dynamicrag.bench.metrics.RankingMetrics;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.standard.StandardAnalyzer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Retrieval quality on Cranfield 1400 through the public API, next to Lucene BM25 over the same texts in the same run.
 *
 * <p>Signs up a fresh tenant on a running service, ingests the 1,400 documents with {@code POST /api/ingest/batch}
 * (title {@code .T}, content the {@code .W} text, {@code external_id} "cranfield-&lt;n&gt;"), waits until none is
 * processing, then sends each of the 225 queries to {@code POST /search} with {@code top_k} 100 in each mode. Chunk
 * hits collapse to their documents (a document ranks where its best chunk ranks). Prints nDCG@10 and recall@100 per
 * mode and for Lucene's BM25 with its EnglishAnalyzer (Porter stemming, English stop words) and StandardAnalyzer.
 * It asserts nothing: it prints figures.
 *
 * <p>Usage: {@code CranfieldQualityBenchmark <base-url> <cranfield-dir>}
 */
public final class CranfieldQualityBenchmark {

    private static final int TOP_K = 100;
    private static final int BATCH = 100;
    private static final List<String> MODES = List.of("keyword", "vector", "hybrid");

    private CranfieldQualityBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        String baseUrl = args.length > 0 ? args[0] : "http://localhost:8080";
        Path dir = Path.of(args.length > 1 ? args[1] : "../shared/data/cranfield");
        CranfieldCollection cranfield = CranfieldCollection.read(dir);
        System.out.printf("cranfield: %d documents (%d empty ones left out), %d queries, %d judged pairs "
                        + "(%d judgements dropped) from %s%n",
                cranfield.documents().size(), cranfield.emptyDocuments(), cranfield.queries().size(),
                cranfield.gainsByQuery().values().stream().mapToInt(Map::size).sum(), cranfield.droppedJudgements(),
                dir.toAbsolutePath().normalize());

        RagApiClient api = new RagApiClient(baseUrl);
        api.signUp("cranfield");
        api.call("PUT", "/api/customers/config", RagApiClient.object()
                .put("rate_limit_requests_per_minute", 100_000).put("rate_limit_requests_per_day", 10_000_000));
        Thread.sleep(6_000);  // the service caches a tenant's rate limits for up to 5 s

        long start = System.nanoTime();
        Map<String, Integer> cranfieldIdByDocumentId = ingest(api, cranfield.documents());
        int chunks = awaitProcessed(api, cranfield.documents().size());
        System.out.printf("ingest: %d documents (%d chunks) accepted and processed in %.1f s through the API%n",
                cranfieldIdByDocumentId.size(), chunks, (System.nanoTime() - start) / 1e9);

        Map<String, Scores> table = new LinkedHashMap<>();
        for (String mode : MODES) {
            start = System.nanoTime();
            table.put("api " + mode, runApi(api, mode, cranfield, cranfieldIdByDocumentId));
            System.out.printf("searched: %d queries in %s mode in %.1f s%n", cranfield.queries().size(), mode,
                    (System.nanoTime() - start) / 1e9);
        }
        table.put("lucene bm25 english", runLucene(new EnglishAnalyzer(), cranfield));
        table.put("lucene bm25 standard", runLucene(new StandardAnalyzer(), cranfield));

        System.out.println(MachineFacts.describe());
        System.out.printf("%-22s %9s %11s %12s%n", "run", "nDCG@10", "recall@100", "p50/p99 ms");
        table.forEach((name, s) -> System.out.printf("%-22s %9.4f %11.4f %12s%n", name, s.ndcg10, s.recall100,
                s.latencies == null ? "-" : String.format("%.0f/%.0f", s.latencies.percentileMillis(50),
                        s.latencies.percentileMillis(99))));
        Scores hybrid = table.get("api hybrid");
        Scores keyword = table.get("api keyword");
        Scores vector = table.get("api vector");
        System.out.printf("hybrid - keyword: nDCG@10 %+.4f, recall@100 %+.4f; hybrid - vector: nDCG@10 %+.4f, "
                        + "recall@100 %+.4f; hybrid beats both on nDCG@10: %s%n",
                hybrid.ndcg10 - keyword.ndcg10, hybrid.recall100 - keyword.recall100,
                hybrid.ndcg10 - vector.ndcg10, hybrid.recall100 - vector.recall100,
                hybrid.ndcg10 > keyword.ndcg10 && hybrid.ndcg10 > vector.ndcg10 ? "yes" : "NO");
    }

    private static final class Scores {
        double ndcg10;
        double recall100;
        Latencies latencies;
    }

    /** Ingests in batches; returns the Cranfield number of each document id the API assigned. */
    private static Map<String, Integer> ingest(RagApiClient api, List<CranfieldCollection.Doc> documents)
            throws IOException {
        Map<String, Integer> ids = new HashMap<>();
        for (int from = 0; from < documents.size(); from += BATCH) {
            List<CranfieldCollection.Doc> slice = documents.subList(from, Math.min(from + BATCH, documents.size()));
            ArrayNode batch = RagApiClient.object().arrayNode();
            for (CranfieldCollection.Doc doc : slice) {
                batch.add(RagApiClient.object()
                        .put("title", doc.title().isEmpty() ? "cranfield " + doc.id() : doc.title())
                        .put("content", doc.text())
                        .put("doc_type", "txt")
                        .put("external_id", "cranfield-" + doc.id()));
            }
            JsonNode result = api.call("POST", "/api/ingest/batch", batch);
            for (JsonNode item : result.path("results")) {
                if (!"rejected".equals(item.path("status").asText())) {
                    ids.put(item.path("document_id").asText(), slice.get(item.path("index").asInt()).id());
                } else {
                    System.out.println("rejected: " + item);
                }
            }
        }
        return ids;
    }

    /** Waits until no document is processing (polling every 2 s); returns the number of chunks stored. */
    private static int awaitProcessed(RagApiClient api, int documents) throws Exception {
        while (api.call("GET", "/api/documents?size=1&status=processing", null).path("total").asLong() > 0) {
            Thread.sleep(2_000);
        }
        int chunks = 0;
        int failed = 0;
        for (int page = 1; (page - 1) * 100 < documents; page++) {
            for (JsonNode doc : api.call("GET", "/api/documents?size=100&page=" + page, null).path("documents")) {
                chunks += doc.path("chunk_count").asInt();
                failed += "failed".equals(doc.path("status").asText()) ? 1 : 0;
            }
        }
        if (failed > 0) {
            System.out.println("warning: " + failed + " documents failed to process");
        }
        return chunks;
    }

    private static Scores runApi(RagApiClient api, String mode, CranfieldCollection cranfield,
                                 Map<String, Integer> cranfieldIds) throws IOException {
        Scores scores = new Scores();
        scores.latencies = new Latencies();
        int unknown = 0;
        for (CranfieldCollection.Question query : cranfield.queries()) {
            ObjectNode body = RagApiClient.object().put("query", query.text()).put("top_k", TOP_K).put("mode", mode);
            long start = System.nanoTime();
            JsonNode results = api.call("POST", "/search", body).path("results");
            scores.latencies.add(System.nanoTime() - start);
            Set<Integer> ranking = new LinkedHashSet<>();
            for (JsonNode hit : results) {
                Integer id = cranfieldIds.get(hit.path("document_id").asText());
                if (id == null) {
                    unknown++;
                } else {
                    ranking.add(id);
                }
            }
            add(scores, new ArrayList<>(ranking), cranfield.gains(query));
        }
        average(scores, cranfield.queries().size());
        if (unknown > 0) {
            System.out.println("warning: mode " + mode + " returned " + unknown + " hits of unknown documents");
        }
        return scores;
    }

    private static Scores runLucene(Analyzer analyzer, CranfieldCollection cranfield) throws IOException {
        Scores scores = new Scores();
        try (LuceneBm25Reference lucene = new LuceneBm25Reference(analyzer, cranfield.documents())) {
            for (CranfieldCollection.Question query : cranfield.queries()) {
                add(scores, lucene.search(query.text(), TOP_K), cranfield.gains(query));
            }
        }
        average(scores, cranfield.queries().size());
        return scores;
    }

    private static void add(Scores scores, List<Integer> ranking, Map<Integer, Integer> gains) {
        scores.ndcg10 += RankingMetrics.ndcgAt(10, ranking, gains);
        scores.recall100 += RankingMetrics.recallAt(TOP_K, ranking, gains.keySet());
    }

    private static void average(Scores scores, int queries) {
        scores.ndcg10 /= queries;
        scores.recall100 /= queries;
    }
}

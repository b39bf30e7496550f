package io.dynamicrag.bench.speed;

import io.dynamicrag.bench.cranfield.CranfieldCollection;
import io.dynamicrag.bench.metrics.Latencies;
import io.dynamicrag.bench.metrics.MachineFacts;
import io.dynamicrag.kernel.ids.DocumentId;
import io.dynamicrag.kernel.ids.TenantId;
import io.dynamicrag.processing.embedding.LocalMiniLmEmbedder;
import io.dynamicrag.processing.index.IndexedChunk;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.similarities.BM25Similarity;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.util.QueryBuilder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Search latency and recall@10 of the service's own index classes, in-process (no HTTP), on real text with real
 * embeddings: N chunks of Cranfield sentence windows ({@link SentenceWindowCorpus}), queried with the 225 Cranfield
 * questions (embedded by the local MiniLM model). Chunk vectors are either the model's vector of each chunk text
 * ({@code model}: about 100 chunks/s on 2 idle cores, 15-20 min for 100k) or, by default, the normalised mean of the
 * model's vectors of the chunk's sentences ({@code sentence-mean}: only the ~9.5k distinct sentences are embedded);
 * the run prints how close the two are on a sample. Vectors are cached on disk after the first run.
 *
 * <p>Ground truths: vector = exact cosine over all N vectors in plain Java ({@link ExactSearch}); keyword = Lucene BM25
 * (EnglishAnalyzer) over the same chunk texts; hybrid = reciprocal rank fusion (k 60) of those two exact rankings,
 * each cut at {@value #HYBRID_DEPTH}. Then one run over many small tenants (one dataset each), queries spread over
 * random tenants. It asserts nothing: it prints figures.
 *
 * <p>Usage: {@code SearchSpeedBenchmark <cranfield-dir> [chunks=100000] [tenants=1000] [chunks-per-tenant=100]
 * [vectors=sentence-mean|model]}
 */
public final class SearchSpeedBenchmark {

    static final int K = 10;
    static final int HYBRID_DEPTH = 50;
    static final int RRF_K = 60;
    private static final int DOCUMENT_CHUNKS = 1000;
    private static final int PASSES = 2;
    private static final int TENANT_QUERIES = 2000;
    private static final int AGREEMENT_SAMPLE = 200;

    private SearchSpeedBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path cranfieldDir = Path.of(args.length > 0 ? args[0] : "../shared/data/cranfield");
        int chunks = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
        int tenants = args.length > 2 ? Integer.parseInt(args[2]) : 1000;
        int perTenant = args.length > 3 ? Integer.parseInt(args[3]) : 100;
        String vectorSource = args.length > 4 ? args[4] : "sentence-mean";
        if (!vectorSource.equals("model") && !vectorSource.equals("sentence-mean")) {
            throw new IllegalArgumentException("vectors must be 'sentence-mean' or 'model', was " + vectorSource);
        }
        Path cache = Path.of(System.getProperty("bench.cache", "bench/target/vector-cache"));

        CranfieldCollection cranfield = CranfieldCollection.read(cranfieldDir);
        SentenceWindowCorpus corpus = new SentenceWindowCorpus(cranfield);
        int total = Math.max(chunks, tenants * perTenant);
        List<SentenceWindowCorpus.Window> windows = corpus.windows(total);
        List<String> texts = windows.stream().map(corpus::text).toList();
        System.out.printf("corpus: %d chunks of Cranfield sentence windows (%d sentences, %.0f chars on average)%n",
                total, corpus.sentences().size(), texts.stream().mapToInt(String::length).average().orElse(0));

        LocalMiniLmEmbedder embedder = new LocalMiniLmEmbedder();
        VectorCache vectorCache = new VectorCache(cache, embedder);
        float[][] vectors;
        if (vectorSource.equals("model")) {
            vectors = vectorCache.embed(texts, "chunk");
            System.out.println("chunk vectors: every chunk text embedded by the model");
        } else {
            float[][] sentenceVectors = vectorCache.embed(corpus.sentences(), "sentence");
            vectors = new float[total][];
            for (int i = 0; i < total; i++) {
                vectors[i] = corpus.meanVector(windows.get(i), sentenceVectors);
            }
            System.out.printf("chunk vectors: normalised mean of the model's vectors of the chunk's sentences (every "
                    + "sentence embedded by the model); against the model's own vector of the chunk text, sampled "
                    + "over %d chunks: mean cosine %.3f%n", AGREEMENT_SAMPLE,
                    agreement(embedder, texts, vectors, AGREEMENT_SAMPLE));
        }
        List<String> queryTexts = cranfield.queries().stream().map(CranfieldCollection.Question::text).toList();
        float[][] queryVectors = vectorCache.embed(queryTexts, "query");

        Path dataDir = Files.createTempDirectory("rag-bench-search-");
        try {
            try (SearchUnderTest search = SearchUnderTests.create(dataDir.resolve("one"), embedder.dimensions())) {
                System.out.println("under test: " + search.describe());
                oneTenant(search, texts.subList(0, chunks), vectors, queryTexts, queryVectors);
            }
            if (tenants > 0) {
                try (SearchUnderTest search = SearchUnderTests.create(dataDir.resolve("many"), embedder.dimensions())) {
                    manyTenants(search, tenants, perTenant, texts, vectors, queryTexts, queryVectors);
                }
            }
        } finally {
            deleteRecursively(dataDir);
        }
        System.out.println(MachineFacts.describe());
    }

    private static void oneTenant(SearchUnderTest search, List<String> texts, float[][] vectors,
                                  List<String> queryTexts, float[][] queryVectors) throws IOException {
        int n = texts.size();
        TenantId tenant = TenantId.random();
        List<DocumentId> documents = new ArrayList<>();
        long start = System.nanoTime();
        for (int from = 0; from < n; from += DOCUMENT_CHUNKS) {
            DocumentId document = DocumentId.random();
            documents.add(document);
            List<IndexedChunk> batch = new ArrayList<>();
            for (int row = from; row < Math.min(from + DOCUMENT_CHUNKS, n); row++) {
                batch.add(new IndexedChunk(row - from, "chunk " + row, texts.get(row), vectors[row]));
            }
            search.load(tenant, document, batch);
        }
        System.out.printf("one tenant: %d chunks written as %d documents in %.1f s%n", n, documents.size(),
                (System.nanoTime() - start) / 1e9);
        start = System.nanoTime();
        String prepared = search.prepare(tenant);
        System.out.printf("one tenant: maintenance after the writes: %s (%.1f s)%n", prepared,
                (System.nanoTime() - start) / 1e9);

        start = System.nanoTime();
        ExactSearch exact = new ExactSearch(java.util.Arrays.copyOf(vectors, n));
        List<List<String>> vectorTruth = new ArrayList<>();
        List<List<String>> vectorDeep = new ArrayList<>();
        for (float[] q : queryVectors) {
            List<String> keys = exact.top(q, HYBRID_DEPTH).stream().map(row -> key(documents, row)).toList();
            vectorDeep.add(keys);
            vectorTruth.add(keys.subList(0, Math.min(K, keys.size())));
        }
        List<List<String>> keywordDeep = new ArrayList<>();
        try (LuceneChunks lucene = new LuceneChunks(texts)) {
            for (String q : queryTexts) {
                keywordDeep.add(lucene.top(q, HYBRID_DEPTH).stream().map(row -> key(documents, row)).toList());
            }
        }
        List<List<String>> keywordTruth = keywordDeep.stream().map(l -> l.subList(0, Math.min(K, l.size()))).toList();
        List<List<String>> hybridTruth = new ArrayList<>();
        for (int i = 0; i < queryTexts.size(); i++) {
            hybridTruth.add(rrf(vectorDeep.get(i), keywordDeep.get(i), K));
        }
        System.out.printf("ground truth computed in %.1f s (exact cosine in Java; Lucene BM25 EnglishAnalyzer; "
                + "RRF k=%d over both at depth %d)%n", (System.nanoTime() - start) / 1e9, RRF_K, HYBRID_DEPTH);

        System.out.printf("%-9s %8s %8s %10s   (one tenant, %d chunks, %d queries x %d passes, top %d)%n",
                "mode", "p50 ms", "p99 ms", "recall@10", n, queryTexts.size(), PASSES, K);
        Map<SearchUnderTest.Mode, List<List<String>>> truths = Map.of(SearchUnderTest.Mode.VECTOR, vectorTruth,
                SearchUnderTest.Mode.KEYWORD, keywordTruth, SearchUnderTest.Mode.HYBRID, hybridTruth);
        for (SearchUnderTest.Mode mode : SearchUnderTest.Mode.values()) {
            measure(search, mode, tenant, queryTexts, queryVectors, truths.get(mode));
        }
    }

    private static void measure(SearchUnderTest search, SearchUnderTest.Mode mode, TenantId tenant,
                                List<String> queryTexts, float[][] queryVectors, List<List<String>> truth) {
        Latencies latencies = new Latencies();
        double recall = 0;
        try {
            for (int i = 0; i < Math.min(10, queryTexts.size()); i++) {  // warm-up: caches, JIT
                search.search(mode, tenant, queryTexts.get(i), queryVectors[i], K);
            }
            for (int pass = 0; pass < PASSES; pass++) {
                for (int i = 0; i < queryTexts.size(); i++) {
                    long start = System.nanoTime();
                    List<String> found = search.search(mode, tenant, queryTexts.get(i), queryVectors[i], K);
                    latencies.add(System.nanoTime() - start);
                    if (pass == 0) {
                        recall += overlap(found, truth.get(i));
                    }
                }
            }
        } catch (UnsupportedOperationException e) {
            System.out.printf("%-9s %8s %8s %10s   %s%n", mode.name().toLowerCase(), "-", "-", "-", e.getMessage());
            return;
        }
        System.out.printf("%-9s %8.1f %8.1f %10.3f%n", mode.name().toLowerCase(), latencies.percentileMillis(50),
                latencies.percentileMillis(99), recall / queryTexts.size());
    }

    private static void manyTenants(SearchUnderTest search, int tenants, int perTenant, List<String> texts,
                                    float[][] vectors, List<String> queryTexts, float[][] queryVectors) {
        List<TenantId> ids = new ArrayList<>();
        List<DocumentId> documents = new ArrayList<>();
        long start = System.nanoTime();
        for (int t = 0; t < tenants; t++) {
            TenantId tenant = TenantId.random();
            DocumentId document = DocumentId.random();
            List<IndexedChunk> batch = new ArrayList<>();
            for (int j = 0; j < perTenant; j++) {
                int row = (t * perTenant + j) % texts.size();
                batch.add(new IndexedChunk(j, "chunk " + row, texts.get(row), vectors[row]));
            }
            search.load(tenant, document, batch);
            search.prepare(tenant);
            ids.add(tenant);
            documents.add(document);
        }
        System.out.printf("%d tenants x %d chunks written (one dataset each) in %.1f s%n", tenants, perTenant,
                (System.nanoTime() - start) / 1e9);
        System.out.printf("%-9s %8s %8s %10s   (%d queries, each on a random tenant, top %d)%n",
                "mode", "p50 ms", "p99 ms", "recall@10", TENANT_QUERIES, K);
        for (SearchUnderTest.Mode mode : SearchUnderTest.Mode.values()) {
            Random random = new Random(42);
            Latencies latencies = new Latencies();
            double recall = 0;
            try {
                for (int i = 0; i < TENANT_QUERIES; i++) {
                    int t = random.nextInt(tenants);
                    int q = random.nextInt(queryTexts.size());
                    long begin = System.nanoTime();
                    List<String> found = search.search(mode, ids.get(t), queryTexts.get(q), queryVectors[q], K);
                    latencies.add(System.nanoTime() - begin);
                    if (mode == SearchUnderTest.Mode.VECTOR) {
                        recall += overlap(found, exactInTenant(vectors, texts.size(), t, perTenant, queryVectors[q],
                                documents.get(t)));
                    }
                }
            } catch (UnsupportedOperationException e) {
                System.out.printf("%-9s %8s %8s %10s   %s%n", mode.name().toLowerCase(), "-", "-", "-",
                        e.getMessage());
                continue;
            }
            System.out.printf("%-9s %8.1f %8.1f %10s%n", mode.name().toLowerCase(), latencies.percentileMillis(50),
                    latencies.percentileMillis(99), mode == SearchUnderTest.Mode.VECTOR
                            ? String.format("%.3f", recall / TENANT_QUERIES) : "n/a");
        }
    }

    private static List<String> exactInTenant(float[][] vectors, int rows, int tenant, int perTenant, float[] query,
                                              DocumentId document) {
        float[][] own = new float[perTenant][];
        for (int j = 0; j < perTenant; j++) {
            own[j] = vectors[(tenant * perTenant + j) % rows];
        }
        return new ExactSearch(own).top(query, K).stream().map(j -> document + ":" + j).toList();
    }

    /** Mean cosine between the given vectors and the model's own vectors of the same texts, over a sample. */
    private static double agreement(LocalMiniLmEmbedder embedder, List<String> texts, float[][] vectors, int sample) {
        Random random = new Random(7);
        List<Integer> rows = random.ints(sample, 0, texts.size()).boxed().toList();
        List<float[]> direct = embedder.embedAll(rows.stream().map(texts::get).toList());
        double sum = 0;
        for (int i = 0; i < rows.size(); i++) {
            sum += ExactSearch.cosine(direct.get(i), vectors[rows.get(i)]);
        }
        return sum / rows.size();
    }

    /** The key of a row as the index reports it: its document (1,000 rows each) and its chunk index there. */
    private static String key(List<DocumentId> documents, int row) {
        return documents.get(row / DOCUMENT_CHUNKS) + ":" + (row % DOCUMENT_CHUNKS);
    }

    static List<String> rrf(List<String> a, List<String> b, int k) {
        Map<String, Double> scores = new HashMap<>();
        for (List<String> ranking : List.of(a, b)) {
            for (int i = 0; i < ranking.size(); i++) {
                scores.merge(ranking.get(i), 1.0 / (RRF_K + i + 1), Double::sum);
            }
        }
        return scores.entrySet().stream()
                .sorted(Map.Entry.<String, Double>comparingByValue(Comparator.reverseOrder())
                        .thenComparing(Map.Entry.comparingByKey()))
                .limit(k).map(Map.Entry::getKey).toList();
    }

    /** recall@k: the share of the true top k that was found. */
    private static double overlap(List<String> found, List<String> truth) {
        if (truth.isEmpty()) {
            return 1;
        }
        Set<String> got = new HashSet<>(found);
        return truth.stream().filter(got::contains).count() / (double) truth.size();
    }

    /** Lucene BM25 (EnglishAnalyzer) over the chunk texts: the keyword ground truth. */
    private static final class LuceneChunks implements AutoCloseable {
        private final EnglishAnalyzer analyzer = new EnglishAnalyzer();
        private final ByteBuffersDirectory directory = new ByteBuffersDirectory();
        private final DirectoryReader reader;
        private final IndexSearcher searcher;

        LuceneChunks(List<String> texts) throws IOException {
            try (IndexWriter writer = new IndexWriter(directory,
                    new IndexWriterConfig(analyzer).setSimilarity(new BM25Similarity()))) {
                for (int row = 0; row < texts.size(); row++) {
                    Document document = new Document();
                    document.add(new StoredField("row", row));
                    document.add(new TextField("text", texts.get(row), Field.Store.NO));
                    writer.addDocument(document);
                }
            }
            reader = DirectoryReader.open(directory);
            searcher = new IndexSearcher(reader);
            searcher.setSimilarity(new BM25Similarity());
        }

        List<Integer> top(String text, int k) throws IOException {
            Query query = new QueryBuilder(analyzer).createBooleanQuery("text", text);
            if (query == null) {
                return List.of();
            }
            List<Integer> rows = new ArrayList<>();
            for (ScoreDoc hit : searcher.search(query, k).scoreDocs) {
                rows.add(searcher.storedFields().document(hit.doc).getField("row").numericValue().intValue());
            }
            return rows;
        }

        @Override
        public void close() throws IOException {
            reader.close();
            directory.close();
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).collect(Collectors.toList())) {
                Files.deleteIfExists(p);
            }
        }
    }
}

package io.dynamicrag.processing.index;

import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.VectorUnloader;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.apache.arrow.vector.types.pojo.Schema;
import org.lance.Dataset;
import org.lance.index.DistanceType;
import org.lance.index.IndexParams;
import org.lance.index.IndexType;
import org.lance.index.scalar.InvertedIndexParams;
import org.lance.ipc.FullTextQuery;
import org.lance.ipc.LanceScanner;
import org.lance.ipc.Query;
import org.lance.ipc.ScanOptions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The Lance queries both the chunk datasets and the catalog run: filtered kNN, filtered BM25 full text, and the
 * inverted index full text needs. Filters are always prefilters, so they apply before top-k.
 */
final class LanceScans {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(LanceScans.class);

    static final String DISTANCE = "_distance";
    static final String SCORE = "_score";

    private LanceScans() {
    }

    /** The k nearest rows by cosine distance among those passing the filter (null: all rows). */
    static ScanOptions nearest(List<String> columns, String vectorColumn, float[] vector, int k, String filter) {
        ScanOptions.Builder options = new ScanOptions.Builder()
                .columns(columns)
                .nearest(new Query.Builder()
                        .setColumn(vectorColumn)
                        .setKey(vector)
                        .setK(k)
                        .setDistanceType(DistanceType.Cosine)
                        .build());
        if (filter != null) {
            options.filter(filter).prefilter(true);
        }
        return options.build();
    }

    /**
     * The k best rows by BM25 for the query's terms (any of them: Lance's match query ORs the terms) in one or more
     * text columns, among those passing the filter. Works with and without an inverted index: rows not (yet) in the
     * index are scored by a flat scan.
     */
    static ScanOptions fullText(List<String> columns, List<String> textColumns, String query, int k, String filter) {
        FullTextQuery match = textColumns.size() == 1
                ? FullTextQuery.match(query, textColumns.get(0))
                : FullTextQuery.multiMatch(query, textColumns);
        ScanOptions.Builder options = new ScanOptions.Builder()
                .columns(columns)
                .fullTextQuery(match)
                .limit(k);
        if (filter != null) {
            options.filter(filter).prefilter(true);
        }
        return options.build();
    }

    /** Runs the scan and hands every result batch to the reader. */
    static void scan(Dataset dataset, ScanOptions options, Consumer<VectorSchemaRoot> batches) throws Exception {
        try (LanceScanner scanner = dataset.newScan(options);
             ArrowReader reader = scanner.scanBatches()) {
            while (reader.loadNextBatch()) {
                batches.accept(reader.getVectorSchemaRoot());
            }
        }
    }

    /**
     * Lance 7.0 fails a full-text query whose terms are all dropped by the tokenizer (stop words, punctuation) when
     * part of the data is not in the inverted index yet ("all columns in a record batch must have the same
     * length"); such a query matches nothing, which is the answer we give.
     */
    static boolean isQueryWithoutSearchableTerms(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t.getMessage() != null && t.getMessage().contains("all columns in a record batch must have the same length")) {
                return true;
            }
        }
        return false;
    }

    /** True when the text has no letter or digit at all: nothing a tokenizer could turn into a term. */
    static boolean hasNoTerms(String text) {
        return text == null || text.codePoints().noneMatch(Character::isLetterOrDigit);
    }

    /**
     * Keeps the BM25 inverted index of a text column covering most rows: builds it when missing, and rebuilds it
     * whenever the rows appended since the last build exceed half of the rows it covers. Called by the write paths
     * (index maintenance may take this over and run it off the write path).
     *
     * <p>Why, measured here with Lance 7.0: without any index a full-text query scans every row with the default
     * tokenizer, which is case-sensitive and does not stem ("rotterdam" misses "Rotterdam"). With an index, rows
     * appended after it are scanned with the index's tokenizer (lower case, English stemming and stop words) but
     * with BM25 statistics of the unindexed rows only: an index built over the first of 15 documents let a one-term
     * partial match outscore the document holding all three terms of an order number (IDF 0.29 per term inside the
     * one-row index against 2.3 outside). Rebuilding at each 1.5x growth keeps the two parts of comparable size (so
     * comparable statistics) at an amortised cost of about three index builds per row. The alternatives were worse:
     * {@code optimizeIndices} after every write re-merged the whole index (0.1 s per write at 1,000 rows, 0.5 s at
     * 10,000) and once, after a SIGKILL mid-write, panicked inside Lance and aborted the JVM; delta indexes
     * ({@code numIndicesToMerge(0)}) kept the skew and made queries take seconds.
     */
    static void keepFullTextIndexCovering(Dataset dataset, String column) {
        try {
            upkeep(dataset, column);
        } catch (RuntimeException e) {
            // the index only speeds up and tokenizes keyword search; the write itself has succeeded and the next
            // write tries again (Lance 7.0 reports a rebuild racing a recent build as a retryable commit conflict)
            LOG.warn("Full-text index of {} on {} not brought up to date: {}", column, dataset.uri(), e.toString());
        }
    }

    private static void upkeep(Dataset dataset, String column) {
        String name = column + "_fts";
        if (!dataset.listIndexes().contains(name)) {
            createFullTextIndex(dataset, column);
            return;
        }
        Map<String, Object> statistics = dataset.getIndexStatistics(name);
        long indexed = number(statistics.get("num_indexed_rows"));
        long unindexed = number(statistics.get("num_unindexed_rows"));
        if (unindexed * 2 > indexed) {
            createFullTextIndex(dataset, column);
        }
    }

    private static long number(Object value) {
        return value instanceof Number n ? n.longValue() : 0L;
    }

    /**
     * Creates the BM25 inverted index (simple tokenizer, lower case, English stemming and stop words) on a text
     * column when the dataset has none yet.
     */
    static void createFullTextIndexIfMissing(Dataset dataset, String column) {
        if (!dataset.listIndexes().contains(column + "_fts")) {
            createFullTextIndex(dataset, column);
        }
    }

    /** Builds (or replaces) the BM25 inverted index of a text column over every row. */
    private static void createFullTextIndex(Dataset dataset, String column) {
        String name = column + "_fts";
        dataset.createIndex(List.of(column), IndexType.INVERTED, Optional.of(name),
                IndexParams.builder().setScalarIndexParams(InvertedIndexParams.builder()
                        .baseTokenizer("simple")
                        .language("English")
                        .build()).build(),
                true);
    }

    /**
     * A dataset exists once a manifest has been committed under {@code _versions}; checking the manifest (not just the
     * directory) keeps a reader from opening a dataset whose first write is still in flight.
     */
    static boolean exists(Path path) throws IOException {
        Path versions = path.resolve("_versions");
        if (!Files.isDirectory(versions)) {
            return false;
        }
        try (Stream<Path> files = Files.list(versions)) {
            return files.anyMatch(f -> f.getFileName().toString().endsWith(".manifest"));
        }
    }

    /** Hands one already-filled batch to Lance's writer as an {@link ArrowReader}. */
    static final class OneBatch extends ArrowReader {
        private final VectorSchemaRoot source;
        private boolean consumed;

        OneBatch(BufferAllocator allocator, VectorSchemaRoot source) {
            super(allocator);
            this.source = source;
        }

        @Override
        public boolean loadNextBatch() throws IOException {
            prepareLoadNextBatch();
            if (consumed) {
                return false;
            }
            consumed = true;
            try (ArrowRecordBatch batch = new VectorUnloader(source).getRecordBatch()) {
                loadRecordBatch(batch);
            }
            return true;
        }

        @Override
        public long bytesRead() {
            return 0;
        }

        @Override
        protected void closeReadSource() {
            // the source root is owned and closed by the caller
        }

        @Override
        protected Schema readSchema() {
            return source.getSchema();
        }
    }
}

package io.dynamicrag.processing.index;

import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BitVectorHelper;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.FixedSizeListVector;
import org.apache.arrow.vector.VectorUnloader;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.lance.Dataset;
import org.lance.index.DistanceType;
import org.lance.index.IndexType;
import org.lance.ipc.FullTextQuery;
import org.lance.ipc.LanceScanner;
import org.lance.ipc.Query;
import org.lance.ipc.ScanOptions;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.ToDoubleFunction;

/**
 * The Lance queries both the chunk datasets and the catalog run: filtered kNN, filtered BM25 full text, the inverted
 * index full text needs, and the Arrow cells both schemas share. Filters are always prefilters, so they apply before
 * top-k.
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
     * The k best hits of a kNN ({@code byDistance}) or full-text scan, best first, each row read by {@code reader}.
     * A full-text query whose terms the tokenizer drops entirely matches nothing
     * ({@link #isQueryWithoutSearchableTerms}).
     */
    static <H> List<H> best(Dataset dataset, ScanOptions options, boolean byDistance, int k,
                            BiConsumer<VectorSchemaRoot, List<H>> reader, ToDoubleFunction<H> score)
            throws Exception {
        List<H> hits = new ArrayList<>();
        try {
            scan(dataset, options, root -> reader.accept(root, hits));
        } catch (Exception e) {
            if (!byDistance && isQueryWithoutSearchableTerms(e)) {
                return List.of();
            }
            throw e;
        }
        hits.sort(Comparator.comparingDouble(score).reversed());
        return List.copyOf(hits.subList(0, Math.min(k, hits.size())));
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
                IndexMaintenance.fullTextIndexParams(), true);
    }

    // --- rows: the Arrow columns both schemas share ---

    /** A non-null {@code FixedSizeList<float32>} column of the given size (its child named {@code item}). */
    static Field vectorField(String name, int dimensions) {
        Field item = new Field("item",
                FieldType.notNullable(new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE)), null);
        return new Field(name, FieldType.notNullable(new ArrowType.FixedSizeList(dimensions)), List.of(item));
    }

    /** Sets a nullable UTF-8 cell. */
    static void setText(VarCharVector column, int row, String value) {
        if (value == null) {
            column.setNull(row);
        } else {
            column.setSafe(row, utf8(value));
        }
    }

    static byte[] utf8(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }

    /** Sets one row of a {@code FixedSizeList<float32>} vector column. */
    static void setVector(FixedSizeListVector column, int row, float[] values) {
        Float4Vector items = (Float4Vector) column.getDataVector();
        int first = row * values.length;
        int end = first + values.length;
        while (items.getValueCapacity() < end) {
            items.reAlloc();
        }
        column.setNotNull(row);
        // one copy of the whole vector: a bounds-checked setSafe per float was two thirds of the index writer's CPU
        items.getDataBuffer().nioBuffer((long) first * Float4Vector.TYPE_WIDTH, values.length * Float4Vector.TYPE_WIDTH)
                .order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().put(values);
        ArrowBuf validity = items.getValidityBuffer();
        for (int i = first; i < end; i++) {
            BitVectorHelper.setBit(validity, i);
        }
    }

    /** A nullable UTF-8 cell of a result batch. */
    static String text(VectorSchemaRoot root, String column, int row) {
        VarCharVector vector = (VarCharVector) root.getVector(column);
        return vector.isNull(row) ? null : new String(vector.get(row), StandardCharsets.UTF_8);
    }

    /**
     * The score of a result row: the cosine similarity (from {@code _distance}) of a kNN scan or the BM25 score
     * ({@code _score}) of a full-text scan.
     */
    static double score(VectorSchemaRoot root, boolean byDistance, int row) {
        String column = byDistance ? DISTANCE : SCORE;
        FieldVector scores = root.getVector(column);
        if (scores == null) {
            throw new IllegalStateException("Lance search result has no " + column + " column: " + root.getSchema());
        }
        double value = ((Number) scores.getObject(row)).doubleValue();
        return byDistance ? 1.0 - value : value;
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

package io.dynamicrag.bench.cranfield;

import org.apache.lucene.analysis.Analyzer;
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
import java.util.ArrayList;
import java.util.List;

/**
 * The reference ranking: Lucene's {@link BM25Similarity} (k1 1.2, b 0.75) over exactly the texts that were ingested,
 * in memory. The query is the bag of its analysed terms (a disjunction, as {@link QueryBuilder} builds it), so
 * Cranfield's odd punctuation ({@code /slip flow/}, {@code (}) never reaches a query parser.
 */
public final class LuceneBm25Reference implements AutoCloseable {

    private static final String ID = "id";
    private static final String TEXT = "text";

    private final Analyzer analyzer;
    private final ByteBuffersDirectory directory = new ByteBuffersDirectory();
    private final DirectoryReader reader;
    private final IndexSearcher searcher;

    public LuceneBm25Reference(Analyzer analyzer, List<CranfieldCollection.Doc> documents) throws IOException {
        this.analyzer = analyzer;
        IndexWriterConfig config = new IndexWriterConfig(analyzer).setSimilarity(new BM25Similarity());
        try (IndexWriter writer = new IndexWriter(directory, config)) {
            for (CranfieldCollection.Doc doc : documents) {
                Document document = new Document();
                document.add(new StoredField(ID, doc.id()));
                document.add(new TextField(TEXT, doc.text(), Field.Store.NO));
                writer.addDocument(document);
            }
        }
        reader = DirectoryReader.open(directory);
        searcher = new IndexSearcher(reader);
        searcher.setSimilarity(new BM25Similarity());
    }

    /** Cranfield ids of the best {@code k} documents, best first. */
    public List<Integer> search(String text, int k) throws IOException {
        Query query = new QueryBuilder(analyzer).createBooleanQuery(TEXT, text);
        List<Integer> ids = new ArrayList<>(k);
        if (query == null) {
            return ids;  // only stop words
        }
        for (ScoreDoc hit : searcher.search(query, k).scoreDocs) {
            ids.add(searcher.storedFields().document(hit.doc).getField(ID).numericValue().intValue());
        }
        return ids;
    }

    @Override
    public void close() throws IOException {
        reader.close();
        directory.close();
    }
}

package io.dynamicrag.processing.pipeline;

import io.dynamicrag.kernel.ids.DocumentId;
import io.dynamicrag.kernel.storage.BlobKeys;
import io.dynamicrag.kernel.storage.BlobStore;
import io.dynamicrag.processing.embedding.TenantEmbedders;
import io.dynamicrag.processing.index.CatalogEntry;
import io.dynamicrag.processing.index.IndexSpace;
import io.dynamicrag.processing.index.LanceTenantCatalog;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Writes a document version's catalog entry: the start of its parsed text as the summary, embedded with the
 * generation's model, plus the type and source URL the read model holds for the document.
 */
@Component
class CatalogWriter {

    /** Enough bytes for {@link CatalogEntry#SUMMARY_CHARACTERS} characters of any UTF-8 text. */
    private static final int SUMMARY_BYTES = CatalogEntry.SUMMARY_CHARACTERS * 4;

    private final LanceTenantCatalog catalog;
    private final TenantEmbedders embedders;
    private final BlobStore blobs;
    private final JdbcTemplate jdbc;

    CatalogWriter(LanceTenantCatalog catalog, TenantEmbedders embedders, BlobStore blobs, JdbcTemplate jdbc) {
        this.catalog = catalog;
        this.embedders = embedders;
        this.blobs = blobs;
        this.jdbc = jdbc;
    }

    void put(IndexSpace space, DocumentId document, int version, String title) {
        String summary = summary(space, document, version);
        float[] vector = embedders.forModel(space.tenant(), space.embeddingModel())
                .embed(title == null || title.isBlank() ? summary : title + "\n" + summary);
        List<String[]> described = jdbc.query("SELECT doc_type, source_url FROM documents WHERE id = ? AND customer_id = ?",
                (rs, i) -> new String[]{rs.getString(1), rs.getString(2)}, document.value(), space.tenant().value());
        String docType = described.isEmpty() ? null : described.get(0)[0];
        String sourceUrl = described.isEmpty() ? null : described.get(0)[1];
        catalog.put(space, new CatalogEntry(document, version, title, docType, sourceUrl, summary, vector));
    }

    void remove(IndexSpace space, DocumentId document) {
        catalog.deleteDocument(space, document);
    }

    void removeOtherVersions(IndexSpace space, DocumentId document, int keepVersion) {
        catalog.deleteOtherVersions(space, document, keepVersion);
    }

    /** The first characters of the parsed text, read without loading the whole text. */
    private String summary(IndexSpace space, DocumentId document, int version) {
        String key = BlobKeys.artefact(space.tenant(), document, version, "parsed.txt");
        try (InputStream in = blobs.open(key).orElseThrow(
                () -> new PermanentStepException("parsed text " + key + " is missing"))) {
            return CatalogEntry.summaryOf(new String(in.readNBytes(SUMMARY_BYTES), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + key, e);
        }
    }
}

package io.dynamicrag.query.documents;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.dynamicrag.kernel.ids.DocumentId;
import io.dynamicrag.kernel.ids.TenantId;
import io.dynamicrag.kernel.storage.BlobKeys;
import io.dynamicrag.kernel.storage.BlobStore;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads the chunks of one document version from the pipeline's chunk artefact in blob storage
 * ({@code <document>/v<n>/chunks.json}: a JSON array, in chunk order, of {@code {index, start, end, text}} with
 * {@code start}/{@code end} the character offsets in the parsed text), the way {@code get_document} reads the
 * parsed text. The array is streamed: only the requested page is held in memory, the rest is only counted.
 * Blocking (file system or S3): call it off the event loop.
 */
class StoredChunks {

    static final String ARTEFACT = "chunks.json";

    private static final JsonFactory JSON = new JsonFactory();

    private final BlobStore blobs;

    StoredChunks(BlobStore blobs) {
        this.blobs = blobs;
    }

    /** Chunks [offset, offset + limit) of the version, and how many it has; empty when the artefact is gone. */
    Optional<Page> page(TenantId tenant, DocumentId document, int version, long offset, int limit) {
        Optional<InputStream> stream = blobs.open(BlobKeys.artefact(tenant, document, version, ARTEFACT));
        if (stream.isEmpty()) {
            return Optional.empty();
        }
        try (InputStream in = stream.get()) {
            return Optional.of(read(in, offset, limit));
        } catch (IOException e) {
            throw new UncheckedIOException("the chunks of " + document + " v" + version + " are unreadable", e);
        }
    }

    static Page read(InputStream json, long offset, int limit) throws IOException {
        List<StoredChunk> chunks = new ArrayList<>(Math.min(limit, 100));
        long position = 0;
        try (JsonParser parser = JSON.createParser(json)) {
            if (parser.nextToken() != JsonToken.START_ARRAY) {
                throw new IOException("chunks.json is not a JSON array");
            }
            while (parser.nextToken() == JsonToken.START_OBJECT) {
                if (position >= offset && position < offset + limit) {
                    chunks.add(chunk(parser));
                } else {
                    parser.skipChildren();
                }
                position++;
            }
        }
        return new Page(chunks, position);
    }

    private static StoredChunk chunk(JsonParser parser) throws IOException {
        int index = -1;
        int start = -1;
        int end = -1;
        String text = null;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken value = parser.nextToken();
            switch (field) {
                case "index" -> index = parser.getIntValue();
                case "start" -> start = parser.getIntValue();
                case "end" -> end = parser.getIntValue();
                case "text" -> text = parser.getText();
                default -> {
                    if (value.isStructStart()) {
                        parser.skipChildren();
                    }
                }
            }
        }
        if (index < 0 || text == null) {
            throw new IOException("a stored chunk lacks its index or text");
        }
        return new StoredChunk(index, start, end, text);
    }

    /** {@code total} is the number of chunks of the whole version. */
    record Page(List<StoredChunk> chunks, long total) {
    }

    record StoredChunk(int index, int start, int end, String text) {
    }
}

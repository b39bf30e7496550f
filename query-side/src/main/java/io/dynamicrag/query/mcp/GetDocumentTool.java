package io.dynamicrag.query.mcp;

import io.dynamicrag.kernel.ids.DocumentId;
import io.dynamicrag.kernel.security.AuthenticatedTenant;
import io.dynamicrag.kernel.storage.BlobKeys;
import io.dynamicrag.kernel.storage.BlobStore;
import io.dynamicrag.query.documents.DocumentDetails;
import io.dynamicrag.query.documents.DocumentReadRepository;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * {@code get_document}: the text of a document's active version (the parsed text the pipeline stored), a page of
 * characters at a time. The text is streamed from blob storage, so a large document is never held whole in memory.
 * Characters are counted as the pipeline's {@code character_count} counts them (UTF-16 code units); a page never
 * ends between the two halves of a surrogate pair.
 */
class GetDocumentTool implements McpTool {

    static final int DEFAULT_LIMIT = 20_000;
    static final int MAX_LIMIT = 100_000;

    private final DocumentReadRepository documents;
    private final BlobStore blobs;

    GetDocumentTool(DocumentReadRepository documents, BlobStore blobs) {
        this.documents = documents;
        this.blobs = blobs;
    }

    @Override
    public String name() {
        return "get_document";
    }

    @Override
    public String title() {
        return "Read a document";
    }

    @Override
    public String description() {
        return "Returns the text of the active (searched) version of one of your documents, paged by characters: "
                + "pass offset and limit, then call again with offset = next_offset until next_offset is null. "
                + "total_characters is the length of the whole text.";
    }

    @Override
    public List<String> argumentNames() {
        return List.of("document_id", "offset", "limit");
    }

    @Override
    public Map<String, Object> inputSchema() {
        return JsonSchemas.parse("""
                {
                  "type": "object",
                  "properties": {
                    "document_id": {"type": "string", "format": "uuid",
                                    "description": "The document's id (from list_documents or search results)."},
                    "offset": {"type": "integer", "minimum": 0, "default": 0,
                               "description": "First character to return (0-based)."},
                    "limit": {"type": "integer", "minimum": 1, "maximum": %d, "default": %d,
                              "description": "How many characters to return at most."}
                  },
                  "required": ["document_id"],
                  "additionalProperties": false
                }""".formatted(MAX_LIMIT, DEFAULT_LIMIT));
    }

    @Override
    public Map<String, Object> outputSchema() {
        return JsonSchemas.parse("""
                {
                  "type": "object",
                  "properties": {
                    "document_id": {"type": "string"},
                    "title": {"type": ["string", "null"]},
                    "doc_type": {"type": ["string", "null"]},
                    "source_url": {"type": ["string", "null"]},
                    "version": {"type": "integer"},
                    "offset": {"type": "integer"},
                    "limit": {"type": "integer"},
                    "total_characters": {"type": "integer"},
                    "next_offset": {"type": ["integer", "null"]},
                    "text": {"type": "string"}
                  },
                  "required": ["document_id", "version", "offset", "limit", "total_characters", "next_offset", "text"]
                }""");
    }

    @Override
    public Mono<Object> call(AuthenticatedTenant caller, ToolArguments arguments) {
        DocumentId id = arguments.requiredDocumentId("document_id");
        int offset = arguments.optionalInt("offset", 0, Integer.MAX_VALUE, 0);
        int limit = arguments.optionalInt("limit", 1, MAX_LIMIT, DEFAULT_LIMIT);
        return documents.findDetails(caller.tenantId(), id)
                .switchIfEmpty(Mono.error(() -> DocumentNotFound.of(id)))
                .flatMap(document -> {
                    if (document.activeVersion() == null) {
                        return Mono.error(new ToolError("Document " + id + " has no processed version yet (status: "
                                + document.status() + "); try again when it is completed"));
                    }
                    String key = BlobKeys.artefact(caller.tenantId(), id, document.activeVersion(), "parsed.txt");
                    // blob storage (file system or S3) blocks: off the event loop
                    return Mono.fromCallable(() -> read(key, offset, limit))
                            .subscribeOn(Schedulers.boundedElastic())
                            .map(page -> answer(document, offset, limit, page));
                });
    }

    private Object answer(DocumentDetails document, int offset, int limit, TextPage page) {
        int end = offset + page.text().length();
        if (offset > page.total()) {
            throw new ToolError("offset " + offset + " is beyond the end of the text (" + page.total()
                    + " characters)");
        }
        return new DocumentText(document.id(), document.title(), document.docType(), document.sourceUrl(),
                document.activeVersion(), offset, limit, page.total(), end < page.total() ? end : null, page.text());
    }

    private TextPage read(String key, int offset, int limit) {
        InputStream stream = blobs.open(key).orElseThrow(() -> new ToolError(
                "The text of this document's active version is not available (it may have just been replaced or "
                        + "deleted); try again"));
        try {
            return page(stream, offset, limit);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Characters [offset, offset + limit) of the UTF-8 text, and the text's total length; closes the stream. */
    static TextPage page(InputStream utf8, long offset, int limit) throws IOException {
        try (Reader reader = new InputStreamReader(utf8, StandardCharsets.UTF_8)) {
            long skipped = skip(reader, offset);
            StringBuilder page = new StringBuilder(Math.min(limit, 64 * 1024));
            char[] buffer = new char[8192];
            int read;
            while (page.length() < limit
                    && (read = reader.read(buffer, 0, Math.min(buffer.length, limit - page.length()))) != -1) {
                page.append(buffer, 0, read);
            }
            long total = skipped + page.length() + skip(reader, Long.MAX_VALUE);
            // never cut a surrogate pair: the next page starts with the whole character
            if (page.length() > 1 && Character.isHighSurrogate(page.charAt(page.length() - 1))
                    && offset + page.length() < total) {
                page.setLength(page.length() - 1);
            }
            return new TextPage(page.toString(), total);
        }
    }

    private static long skip(Reader reader, long count) throws IOException {
        long skipped = 0;
        while (skipped < count) {
            long step = reader.skip(Math.min(count - skipped, 1 << 20));
            if (step <= 0) {
                if (reader.read() == -1) {
                    break;
                }
                step = 1;
            }
            skipped += step;
        }
        return skipped;
    }

    record TextPage(String text, long total) {
    }

    record DocumentText(String documentId, String title, String docType, String sourceUrl, int version, int offset,
                        int limit, long totalCharacters, Integer nextOffset, String text) {
    }
}

package io.dynamicrag.query.documents;

import io.dynamicrag.kernel.ids.DocumentId;
import io.dynamicrag.kernel.security.AuthenticatedTenant;
import io.dynamicrag.kernel.storage.BlobStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.util.List;

/**
 * {@code GET /api/documents/{id}/chunks}: the chunks of the document's active version (the ones search finds), in
 * chunk order, a page at a time. Tenant-scoped like every document path: another tenant's id is the same 404 as
 * an unknown one.
 */
@ConditionalOnProperty(name = "rag.roles.api", havingValue = "true", matchIfMissing = true)
@RestController
@RequestMapping("/api/documents")
class DocumentChunksController {

    static final int MAX_PAGE_SIZE = 100;

    private static final Logger log = LoggerFactory.getLogger(DocumentChunksController.class);

    private final DocumentReadRepository documents;
    private final StoredChunks chunks;

    DocumentChunksController(DocumentReadRepository documents, BlobStore blobs) {
        this.documents = documents;
        this.chunks = new StoredChunks(blobs);
    }

    @GetMapping("/{id}/chunks")
    Mono<ChunkPage> chunks(@AuthenticationPrincipal AuthenticatedTenant caller, @PathVariable String id,
                           @RequestParam(defaultValue = "1") String page,
                           @RequestParam(defaultValue = "20") String size) {
        int pageNumber = parse("page", page, 1, Integer.MAX_VALUE, "1 or more");
        int pageSize = parse("size", size, 1, MAX_PAGE_SIZE, "between 1 and " + MAX_PAGE_SIZE);
        DocumentId documentId = DocumentNotFound.parse(id);
        return documents.findDetails(caller.tenantId(), documentId)
                .switchIfEmpty(Mono.error(() -> DocumentNotFound.error(id)))
                .flatMap(document -> {
                    Integer version = document.activeVersion();
                    if (version == null) {
                        // nothing searchable yet: the first version is still processing, or it failed
                        return Mono.just(new ChunkPage(document.id(), null, pageNumber, pageSize, 0, List.of()));
                    }
                    long offset = (long) (pageNumber - 1) * pageSize;
                    // blob storage (file system or S3) blocks: off the event loop
                    return Mono.fromCallable(() -> chunks.page(caller.tenantId(), documentId, version, offset,
                                    pageSize))
                            .subscribeOn(Schedulers.boundedElastic())
                            .map(stored -> stored.orElseThrow(() -> {
                                // only a deletion removes the artefacts of an active version
                                log.warn("chunks of {} v{} not in blob storage", documentId, version);
                                return DocumentNotFound.error(id);
                            }))
                            .map(stored -> new ChunkPage(document.id(), version, pageNumber, pageSize,
                                    stored.total(), stored.chunks().stream().map(ChunkView::of).toList()));
                });
    }

    private static int parse(String name, String value, int min, int max, String range) {
        int parsed;
        try {
            parsed = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, name + " must be a whole number " + range);
        }
        if (parsed < min || parsed > max) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, name + " must be " + range);
        }
        return parsed;
    }

    /** {@code version} is null while the document has no completed version; {@code total} counts its chunks. */
    record ChunkPage(String documentId, Integer version, int page, int size, long total, List<ChunkView> chunks) {
    }

    /** Offsets are character positions (UTF-16, as {@code character_count}) in the version's parsed text. */
    record ChunkView(int chunkIndex, String text, int characterCount, int startOffset, int endOffset) {

        static ChunkView of(StoredChunks.StoredChunk chunk) {
            return new ChunkView(chunk.index(), chunk.text(), chunk.text().length(), chunk.start(), chunk.end());
        }
    }
}

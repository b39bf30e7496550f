package io.dynamicrag.command.ingestion;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dynamicrag.kernel.ids.TenantId;
import io.dynamicrag.kernel.security.AuthenticatedTenant;
import io.dynamicrag.kernel.storage.BlobStore;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.codec.multipart.FilePart;
import org.springframework.http.codec.multipart.FormFieldPart;
import org.springframework.http.codec.multipart.Part;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * Binary uploads: a multipart file (what n8n's HTTP Request node sends as form data), or a presigned upload
 * straight to storage followed by a completion call that starts processing.
 */
@ConditionalOnProperty(name = "rag.roles.api", havingValue = "true", matchIfMissing = true)
@RestController
@RequestMapping("/api/ingest")
class FileIngestController {

    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    private final DocumentSubmissions submissions;
    private final BlobStore blobs;
    private final PendingUploads uploads;
    private final ObjectMapper json;
    private final Duration uploadTtl;

    FileIngestController(DocumentSubmissions submissions, BlobStore blobs, PendingUploads uploads,
                         ObjectMapper json, @Value("${rag.ingest.upload-url-ttl:PT15M}") Duration uploadTtl) {
        this.submissions = submissions;
        this.blobs = blobs;
        this.uploads = uploads;
        this.json = json;
        this.uploadTtl = uploadTtl;
    }

    /** Multipart form: {@code file} (required), {@code title}, {@code external_id}, {@code source_url}, {@code metadata} (JSON). */
    @PostMapping(value = "/file", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    @ResponseStatus(HttpStatus.ACCEPTED)
    Mono<IngestAccepted> ingestFile(@AuthenticationPrincipal AuthenticatedTenant caller,
                                    @RequestBody Mono<MultiValueMap<String, Part>> form) {
        TenantId tenant = caller.tenantId();
        return form.onErrorMap(FileIngestController::isMalformedMultipart, FileIngestController::malformed)
                .flatMap(parts -> {
            if (!(parts.getFirst("file") instanceof FilePart file)) {
                return Mono.error(new ResponseStatusException(HttpStatus.BAD_REQUEST,
                        "The multipart field 'file' with the document is missing"));
            }
            FormFields fields = FormFields.of(parts, json);
            String filename = SafeFilename.of(file.filename());
            String declared = file.headers().getContentType() == null ? null
                    : file.headers().getContentType().toString();
            // the spooler stops reading at the tenant's size limit: an oversized upload never fills the disk
            return Mono.fromCallable(() -> submissions.maxFileSizeBytes(tenant))
                    .subscribeOn(Schedulers.boundedElastic())
                    .flatMap(max -> UploadSpooler.spool(file.content(), max))
                    .flatMap(content -> Mono.fromCallable(() -> describe(content, filename, declared, fields))
                            .subscribeOn(Schedulers.boundedElastic())
                            .doOnError(e -> content.close()))
                    .flatMap(document -> submissions.submit(tenant, document));
        });
    }

    /** Step 1 of a direct upload: where to PUT the file. Step 2 is {@code POST .../{upload_id}/complete}. */
    @GetMapping("/presigned-url")
    Mono<PresignedUploadResponse> presign(@AuthenticationPrincipal AuthenticatedTenant caller,
                                         @RequestParam String filename,
                                         @RequestParam(name = "content_type", required = false) String contentType,
                                         @RequestParam(required = false) String title,
                                         @RequestParam(name = "external_id", required = false) String externalId,
                                         @RequestParam(name = "source_url", required = false) String sourceUrl) {
        String safeName = SafeFilename.of(filename);
        if (safeName.isEmpty()) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "filename is required");
        }
        String type = contentType == null || contentType.isBlank() ? "application/octet-stream" : contentType;
        if (!type.matches("[\\w.+-]+/[\\w.+-]+")) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "content_type must be a media type like "
                    + "application/pdf");
        }
        UUID id = UUID.randomUUID();
        String key = "tenants/" + caller.tenantId() + "/uploads/" + id;
        return Mono.fromCallable(() -> {
                    BlobStore.PresignedUpload presigned = blobs.presignUpload(key, type, uploadTtl);
                    uploads.create(new PendingUploads.Upload(id, caller.tenantId(), key, safeName, type,
                            limit(title, 500), limit(externalId, 255), limit(sourceUrl, 2048), Map.of(),
                            presigned.expiresAt(), null));
                    return new PresignedUploadResponse(id.toString(), presigned.url(), "PUT", presigned.headers(),
                            key, presigned.expiresAt(), "/api/ingest/presigned-url/" + id + "/complete");
                })
                .subscribeOn(Schedulers.boundedElastic());
    }

    /** Step 2: the file is in storage; check it against the limits and process it like any upload. */
    @PostMapping("/presigned-url/{uploadId}/complete")
    @ResponseStatus(HttpStatus.ACCEPTED)
    Mono<IngestAccepted> complete(@AuthenticationPrincipal AuthenticatedTenant caller, @PathVariable String uploadId) {
        TenantId tenant = caller.tenantId();
        UUID id;
        try {
            id = UUID.fromString(uploadId);
        } catch (IllegalArgumentException e) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND, "Upload " + uploadId + " not found");
        }
        return Mono.fromCallable(() -> {
                    PendingUploads.Upload upload = uploads.find(tenant, id).orElseThrow(() ->
                            new ResponseStatusException(HttpStatus.NOT_FOUND, "Upload " + uploadId + " not found"));
                    if (upload.documentId() != null) {
                        throw new ResponseStatusException(HttpStatus.CONFLICT, "Upload " + uploadId
                                + " was already completed as document " + upload.documentId());
                    }
                    long size = blobs.size(upload.blobKey()).orElseThrow(() -> new ResponseStatusException(
                            HttpStatus.BAD_REQUEST, "Nothing has been uploaded to this URL yet"));
                    String docType = typeOf(upload);
                    // refuse before hashing the whole stored file
                    submissions.refuseUnlessAllowed(tenant, docType, size);
                    UploadSpooler.Hashed hashed = UploadSpooler.hash(blobs.open(upload.blobKey()).orElseThrow());
                    return new NewDocumentContent(title(upload.title(), upload.filename()), docType,
                            upload.sourceUrl(), upload.externalId(), upload.metadata(),
                            RawContent.ofBlob(blobs, upload.blobKey(), hashed.sha256(), hashed.size()));
                })
                .subscribeOn(Schedulers.boundedElastic())
                .flatMap(document -> submissions.submit(tenant, document))
                .flatMap(accepted -> Mono.fromRunnable(() -> uploads.complete(id, accepted.documentId()))
                        .subscribeOn(Schedulers.boundedElastic())
                        .thenReturn(accepted));
    }

    /**
     * Spring's multipart reader fails with these on a body the client broke (a part without a name, a part's
     * Content-Type it cannot parse); they are the client's doing, not the server's (the fuzz drill's 500s).
     */
    private static boolean isMalformedMultipart(Throwable failure) {
        return failure instanceof IllegalStateException || failure instanceof IllegalArgumentException;
    }

    private static ResponseStatusException malformed(Throwable failure) {
        String detail = failure instanceof org.springframework.http.InvalidMediaTypeException invalid
                ? "a part's Content-Type is invalid (" + invalid.getMessage() + ")"
                : "every part needs a Content-Disposition: form-data header with a name";
        return new ResponseStatusException(HttpStatus.BAD_REQUEST, "Malformed multipart body: " + detail);
    }

    private String typeOf(PendingUploads.Upload upload) {
        try (InputStream in = blobs.open(upload.blobKey()).orElseThrow()) {
            return DocumentTypes.detect(in, upload.filename(), upload.contentType())
                    .orElseThrow(() -> IngestionRefusedException.unreadableType("The uploaded file"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private NewDocumentContent describe(RawContent content, String filename, String declared, FormFields fields)
            throws IOException {
        String docType;
        try (InputStream in = content.open()) {
            docType = DocumentTypes.detect(in, filename, declared)
                    .orElseThrow(() -> IngestionRefusedException.unreadableType(
                            filename.isEmpty() ? "The file" : "'" + filename + "'"));
        }
        Map<String, String> metadata = new java.util.LinkedHashMap<>(fields.metadata());
        if (!filename.isEmpty()) {
            metadata.putIfAbsent("filename", filename);
        }
        return new NewDocumentContent(title(fields.title(), filename), docType, fields.sourceUrl(),
                fields.externalId(), metadata, content);
    }

    private static String title(String title, String filename) {
        if (title != null && !title.isBlank()) {
            return limit(title.trim(), 500);
        }
        if (filename != null && !filename.isBlank()) {
            int dot = filename.lastIndexOf('.');
            return limit(dot > 0 ? filename.substring(0, dot) : filename, 500);
        }
        return "Untitled";
    }

    private static String limit(String value, int max) {
        if (value == null) {
            return null;
        }
        if (value.length() > max) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "A field is longer than " + max + " characters");
        }
        return value;
    }

    record PresignedUploadResponse(String uploadId, String uploadUrl, String method, Map<String, String> headers,
                                   String key, Instant expiresAt, String completeUrl) {
    }

    /** The text fields of the form; {@code metadata} may be a JSON object. */
    record FormFields(String title, String externalId, String sourceUrl, Map<String, String> metadata) {

        static FormFields of(MultiValueMap<String, Part> parts, ObjectMapper json) {
            Map<String, String> metadata = Map.of();
            String rawMetadata = field(parts, "metadata");
            if (rawMetadata != null && !rawMetadata.isBlank()) {
                try {
                    metadata = IngestDocumentRequest.flatten(json.readValue(rawMetadata, MAP));
                } catch (IOException e) {
                    throw new ResponseStatusException(HttpStatus.BAD_REQUEST,
                            "The field 'metadata' must be a JSON object");
                }
                if (metadata.size() > 50) {
                    throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "metadata: must have at most 50 keys");
                }
            }
            return new FormFields(limit(field(parts, "title"), 500), limit(field(parts, "external_id"), 255),
                    limit(field(parts, "source_url"), 2048), metadata);
        }

        private static String field(MultiValueMap<String, Part> parts, String name) {
            return parts.getFirst(name) instanceof FormFieldPart field ? field.value() : null;
        }
    }
}

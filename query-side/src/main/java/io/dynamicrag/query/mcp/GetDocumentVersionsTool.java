package io.dynamicrag.query.mcp;

import io.dynamicrag.kernel.ids.DocumentId;
import io.dynamicrag.kernel.security.AuthenticatedTenant;
import io.dynamicrag.query.documents.DocumentReadRepository;
import io.dynamicrag.query.documents.VersionView;
import reactor.core.publisher.Mono;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

/** {@code get_document_versions}: a document's version history, newest first, with the active one marked. */
class GetDocumentVersionsTool implements McpTool {

    private final DocumentReadRepository documents;

    GetDocumentVersionsTool(DocumentReadRepository documents) {
        this.documents = documents;
    }

    @Override
    public String name() {
        return "get_document_versions";
    }

    @Override
    public String title() {
        return "Document version history";
    }

    @Override
    public String description() {
        return "Lists every version of one of your documents, newest first: version number, processing status, "
                + "whether it is the active (searched) version, content hash, size and creation time. "
                + "search_documents can search an older version with as_of_version.";
    }

    @Override
    public List<String> argumentNames() {
        return List.of("document_id");
    }

    @Override
    public Map<String, Object> inputSchema() {
        return JsonSchemas.parse("""
                {
                  "type": "object",
                  "properties": {
                    "document_id": {"type": "string", "format": "uuid",
                                    "description": "The document's id (from list_documents or search results)."}
                  },
                  "required": ["document_id"],
                  "additionalProperties": false
                }""");
    }

    @Override
    public Map<String, Object> outputSchema() {
        return JsonSchemas.parse("""
                {
                  "type": "object",
                  "properties": {
                    "document_id": {"type": "string"},
                    "active_version": {"type": ["integer", "null"]},
                    "versions": {
                      "type": "array",
                      "items": {
                        "type": "object",
                        "properties": {
                          "version": {"type": "integer"},
                          "status": {"type": ["string", "null"]},
                          "is_active": {"type": "boolean"},
                          "content_hash": {"type": ["string", "null"]},
                          "file_size_bytes": {"type": ["integer", "null"]},
                          "error_message": {"type": ["string", "null"]},
                          "created_at": {"type": ["string", "null"]}
                        },
                        "required": ["version", "is_active"]
                      }
                    }
                  },
                  "required": ["document_id", "active_version", "versions"]
                }""");
    }

    @Override
    public Mono<Object> call(AuthenticatedTenant caller, ToolArguments arguments) {
        DocumentId id = arguments.requiredDocumentId("document_id");
        return documents.versions(caller.tenantId(), id).map(Version::of).collectList()
                .flatMap(versions -> versions.isEmpty()
                        ? Mono.error(DocumentNotFound.of(id))
                        : Mono.just(new History(id.toString(), versions.stream().filter(Version::isActive)
                                .map(Version::version).findFirst().orElse(null), versions)));
    }

    record History(String documentId, Integer activeVersion, List<Version> versions) {
    }

    record Version(int version, String status, boolean isActive, String contentHash, Long fileSizeBytes,
                   String errorMessage, OffsetDateTime createdAt) {

        static Version of(VersionView view) {
            return new Version(view.version(), view.status(), view.isActive(), view.contentHash(),
                    view.fileSizeBytes(), view.errorMessage(), view.createdAt());
        }
    }
}

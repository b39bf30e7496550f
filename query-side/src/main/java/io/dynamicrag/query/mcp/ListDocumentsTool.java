package io.dynamicrag.query.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dynamicrag.kernel.security.AuthenticatedTenant;
import io.dynamicrag.query.documents.DocumentDetails;
import io.dynamicrag.query.documents.DocumentReadRepository;
import reactor.core.publisher.Mono;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

/** {@code list_documents}: the caller's documents, newest first, a page at a time. */
class ListDocumentsTool implements McpTool {

    private static final List<String> STATUSES = List.of("processing", "completed", "failed");

    private final DocumentReadRepository documents;
    private final ObjectMapper json;

    ListDocumentsTool(DocumentReadRepository documents, ObjectMapper json) {
        this.documents = documents;
        this.json = json;
    }

    @Override
    public String name() {
        return "list_documents";
    }

    @Override
    public String title() {
        return "List documents";
    }

    @Override
    public String description() {
        return "Lists your documents, newest first, a page at a time: id, title, type, status, versions, counts, "
                + "metadata and dates. Filter by processing status; total tells how many there are.";
    }

    @Override
    public List<String> argumentNames() {
        return List.of("page", "size", "status");
    }

    @Override
    public Map<String, Object> inputSchema() {
        return JsonSchemas.parse("""
                {
                  "type": "object",
                  "properties": {
                    "page": {"type": "integer", "minimum": 1, "default": 1, "description": "Page number, from 1."},
                    "size": {"type": "integer", "minimum": 1, "maximum": 100, "default": 20,
                             "description": "Documents per page."},
                    "status": {"type": "string", "enum": ["processing", "completed", "failed"],
                               "description": "Only documents in this processing status."}
                  },
                  "additionalProperties": false
                }""");
    }

    @Override
    public Map<String, Object> outputSchema() {
        return JsonSchemas.parse("""
                {
                  "type": "object",
                  "properties": {
                    "page": {"type": "integer"},
                    "size": {"type": "integer"},
                    "total": {"type": "integer"},
                    "has_more": {"type": "boolean"},
                    "documents": {
                      "type": "array",
                      "items": {
                        "type": "object",
                        "properties": {
                          "document_id": {"type": "string"},
                          "title": {"type": ["string", "null"]},
                          "doc_type": {"type": ["string", "null"]},
                          "source_url": {"type": ["string", "null"]},
                          "external_id": {"type": ["string", "null"]},
                          "status": {"type": "string"},
                          "version": {"type": "integer"},
                          "active_version": {"type": ["integer", "null"]},
                          "chunk_count": {"type": "integer"},
                          "character_count": {"type": "integer"},
                          "error_message": {"type": ["string", "null"]},
                          "metadata": {"type": "object"},
                          "created_at": {"type": ["string", "null"]},
                          "updated_at": {"type": ["string", "null"]}
                        },
                        "required": ["document_id", "status", "version"]
                      }
                    }
                  },
                  "required": ["page", "size", "total", "has_more", "documents"]
                }""");
    }

    @Override
    public Mono<Object> call(AuthenticatedTenant caller, ToolArguments arguments) {
        int page = arguments.optionalInt("page", 1, 1_000_000, 1);
        int size = arguments.optionalInt("size", 1, 100, 20);
        String status = arguments.optionalChoice("status", STATUSES, null);
        return Mono.zip(documents.page(caller.tenantId(), status, page - 1, size).map(this::summary).collectList(),
                        documents.count(caller.tenantId(), status))
                .map(t -> new Page(page, size, t.getT2(), (long) page * size < t.getT2(), t.getT1()));
    }

    private Summary summary(DocumentDetails document) {
        return new Summary(document.id(), document.title(), document.docType(), document.sourceUrl(),
                document.externalId(), document.status(), document.version(), document.activeVersion(),
                document.chunkCount(), document.characterCount(), document.errorMessage(),
                metadata(document), document.createdAt(), document.updatedAt());
    }

    private JsonNode metadata(DocumentDetails document) {
        try {
            return json.readTree(document.metadata().raw());
        } catch (Exception e) {
            return json.createObjectNode();
        }
    }

    record Page(int page, int size, long total, boolean hasMore, List<Summary> documents) {
    }

    record Summary(String documentId, String title, String docType, String sourceUrl, String externalId,
                   String status, int version, Integer activeVersion, int chunkCount, int characterCount,
                   String errorMessage, JsonNode metadata, OffsetDateTime createdAt, OffsetDateTime updatedAt) {
    }
}

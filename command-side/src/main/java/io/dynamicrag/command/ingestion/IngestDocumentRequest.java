package io.dynamicrag.command.ingestion;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import java.util.LinkedHashMap;
import java.util.Map;

record IngestDocumentRequest(
        @NotBlank @Size(max = 500) String title,
        @NotBlank(message = "must not be empty") String content,
        @NotNull @Pattern(regexp = "txt|md|html", message = "must be one of: txt, md, html")
        @JsonProperty("doc_type") String docType,
        @Size(max = 2048) @JsonProperty("source_url") String sourceUrl,
        @Size(max = 255) @JsonProperty("external_id") String externalId,
        @Size(max = 50, message = "must have at most 50 keys") Map<String, Object> metadata) {

    Map<String, String> flatMetadata() {
        return flatten(metadata);
    }

    /** Metadata values are kept as text; n8n sends numbers and booleans as JSON scalars. */
    static Map<String, String> flatten(Map<String, Object> metadata) {
        Map<String, String> flat = new LinkedHashMap<>();
        if (metadata != null) {
            metadata.forEach((key, value) -> flat.put(key, value == null ? null : String.valueOf(value)));
        }
        return flat;
    }
}

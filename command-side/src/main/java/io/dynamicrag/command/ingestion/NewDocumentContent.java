package io.dynamicrag.command.ingestion;

import io.dynamicrag.command.web.StorableText;

import java.util.Map;
import java.util.Optional;

/**
 * Everything one ingestion path hands over, whichever path it was (JSON, file, URL, upload, webhook, batch). Its text
 * is checked here, the one place all paths pass: what PostgreSQL cannot store is refused with a 400 naming the field.
 */
record NewDocumentContent(String title, String docType, String sourceUrl, String externalId,
                          Map<String, String> metadata, RawContent content) {

    NewDocumentContent {
        refuseUnstorable("title", title);
        refuseUnstorable("source_url", sourceUrl);
        refuseUnstorable("external_id", externalId);
        Optional<String> problem = StorableText.problemIn("metadata", metadata);
        if (problem.isPresent()) {
            throw new InvalidDocumentException("Invalid request: " + problem.get());
        }
    }

    private static void refuseUnstorable(String field, String value) {
        StorableText.problem(value).ifPresent(problem -> {
            throw new InvalidDocumentException("Invalid request: " + field + ": " + problem);
        });
    }
}

package io.dynamicrag.command.ingestion;

import java.util.Map;

/** Everything one ingestion path hands over, whichever path it was (JSON, file, URL, upload, webhook, batch). */
record NewDocumentContent(String title, String docType, String sourceUrl, String externalId,
                          Map<String, String> metadata, RawContent content) {
}

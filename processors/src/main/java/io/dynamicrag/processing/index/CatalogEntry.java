package io.dynamicrag.processing.index;

import io.dynamicrag.kernel.ids.DocumentId;

/**
 * One document (at one version) in a tenant's catalog: what it is and the start of its text, with the vector of that
 * summary. Search finds documents through these, not through their chunks.
 */
public record CatalogEntry(DocumentId documentId, int version, String title, String docType, String sourceUrl,
                           String summary, float[] vector) {

    /** How much of the parsed text the summary keeps (the seed's catalog: the first 1000 characters). */
    public static final int SUMMARY_CHARACTERS = 1000;

    /** The first {@link #SUMMARY_CHARACTERS} characters, not cutting a surrogate pair in half. */
    public static String summaryOf(String text) {
        if (text == null) {
            return "";
        }
        String trimmed = text.strip();
        if (trimmed.length() <= SUMMARY_CHARACTERS) {
            return trimmed;
        }
        int end = SUMMARY_CHARACTERS;
        if (Character.isHighSurrogate(trimmed.charAt(end - 1))) {
            end--;
        }
        return trimmed.substring(0, end);
    }
}

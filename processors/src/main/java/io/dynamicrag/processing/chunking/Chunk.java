package io.dynamicrag.processing.chunking;

/**
 * A piece of a document's text; {@code start}/{@code end} are character offsets into the parsed text. Stored as
 * the {@code chunks.json} artefact, which the query side reads as is (StoredChunks, for
 * {@code GET /api/documents/{id}/chunks}): renaming a component changes that contract.
 */
public record Chunk(int index, int start, int end, String text) {
}

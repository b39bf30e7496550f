package io.dynamicrag.processing.chunking;

/** A piece of a document's text; {@code start}/{@code end} are character offsets into the parsed text. */
public record Chunk(int index, int start, int end, String text) {
}

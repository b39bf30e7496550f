package io.dynamicrag.processing.chunking;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** The chunking strategies by their configuration name: the one entry point for the pipeline. */
public final class Chunkers {

    private static final Map<String, Chunker> BY_NAME;

    static {
        Map<String, Chunker> byName = new LinkedHashMap<>();
        for (Chunker chunker : new Chunker[] {new FixedSizeChunker(), new ParagraphChunker(), new SemanticChunker()}) {
            byName.put(chunker.name(), chunker);
        }
        BY_NAME = Collections.unmodifiableMap(byName);
    }

    private Chunkers() {
    }

    /**
     * The chunker named {@code name} exactly ({@code "fixed"}, {@code "paragraph"} or {@code "semantic"}; names are
     * case-sensitive). Chunkers are stateless, so the same shared instance is returned every time.
     *
     * @throws IllegalArgumentException for any other name, {@code null} included
     */
    public static Chunker forName(String name) {
        Chunker chunker = name == null ? null : BY_NAME.get(name);
        if (chunker == null) {
            throw new IllegalArgumentException(
                    "unknown chunking strategy '" + name + "'; expected one of " + BY_NAME.keySet());
        }
        return chunker;
    }

    /** The known strategy names, in a stable order: fixed, paragraph, semantic. */
    public static Set<String> names() {
        return BY_NAME.keySet();
    }
}

package io.dynamicrag.bench.speed;

import io.dynamicrag.kernel.ids.DocumentId;
import io.dynamicrag.kernel.ids.TenantId;
import io.dynamicrag.processing.index.IndexedChunk;

import java.util.List;

/** The service's own index classes as the benchmark drives them, in-process. */
interface SearchUnderTest extends AutoCloseable {

    enum Mode { VECTOR, KEYWORD, HYBRID }

    /** One line saying which classes run and how they are configured. */
    String describe();

    void load(TenantId tenant, DocumentId document, List<IndexedChunk> chunks);

    /** What the service does to a tenant's dataset after writes (index builds); returns a description of it. */
    String prepare(TenantId tenant);

    /**
     * The top k chunks as "document-id:chunk-index" keys, best first.
     *
     * @throws UnsupportedOperationException when this build has no such mode
     */
    List<String> search(Mode mode, TenantId tenant, String text, float[] vector, int k);

    @Override
    void close();
}

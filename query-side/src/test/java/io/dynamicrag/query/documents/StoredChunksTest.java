package io.dynamicrag.query.documents;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StoredChunksTest {

    /** The pipeline's chunks.json as PipelineArtefacts writes it (a plain ObjectMapper over Chunk records). */
    private static final String STORED = """
            [{"index":0,"start":0,"end":5,"text":"Alpha"},
             {"index":1,"start":6,"end":10,"text":"Beta","extra":{"ignored":[1,2]}},
             {"index":2,"start":11,"end":16,"text":"Gamma \\"q\\" é"},
             {"index":3,"start":17,"end":22,"text":"Delta"}]""";

    @Test
    void shouldReturnTheRequestedPageAndCountEveryChunk() throws IOException {
        StoredChunks.Page page = read(1, 2);

        assertThat(page.total()).isEqualTo(4);
        assertThat(page.chunks()).containsExactly(
                new StoredChunks.StoredChunk(1, 6, 10, "Beta"),
                new StoredChunks.StoredChunk(2, 11, 16, "Gamma \"q\" é"));
    }

    @Test
    void shouldReturnNoChunksButTheTotalBeyondTheEnd() throws IOException {
        StoredChunks.Page page = read(8, 4);

        assertThat(page.total()).isEqualTo(4);
        assertThat(page.chunks()).isEmpty();
    }

    @Test
    void shouldReadAnEmptyArrayAsNoChunks() throws IOException {
        StoredChunks.Page page = StoredChunks.read(stream("[]"), 0, 20);

        assertThat(page.total()).isZero();
        assertThat(page.chunks()).isEmpty();
    }

    @Test
    void shouldRefuseSomethingThatIsNotAChunkArray() {
        assertThatThrownBy(() -> StoredChunks.read(stream("{\"index\":0}"), 0, 20)).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> StoredChunks.read(stream("[{\"start\":0}]"), 0, 20))
                .isInstanceOf(IOException.class);
    }

    private static StoredChunks.Page read(long offset, int limit) throws IOException {
        return StoredChunks.read(stream(STORED), offset, limit);
    }

    private static ByteArrayInputStream stream(String json) {
        return new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8));
    }
}

package io.dynamicrag.processing.pipeline;

import io.dynamicrag.processing.chunking.Chunk;
import io.dynamicrag.processing.storage.FileSystemBlobStore;
import io.dynamicrag.processing.storage.SignedUploadTokens;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.util.unit.DataSize;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PipelineArtefactsTest {

    private static final String CHUNKS = "t/d/v1/chunks.json";
    private static final String VECTORS = "t/d/v1/vectors.bin";

    @TempDir
    Path root;

    private FileSystemBlobStore blobs() {
        return new FileSystemBlobStore(root, new SignedUploadTokens("0123456789abcdef0123456789abcdef"),
                "http://localhost");
    }

    private final List<Chunk> chunks = List.of(new Chunk(0, 0, 5, "Hello"), new Chunk(1, 6, 11, "world"));
    private final List<float[]> vectors = List.of(new float[]{1f, 0f}, new float[]{0f, 1f});

    @Test
    void whatWasJustWrittenIsReadFromMemoryAndStaysInTheBlobStore() throws Exception {
        PipelineArtefacts artefacts = new PipelineArtefacts(blobs(), DataSize.ofMegabytes(1));
        artefacts.putChunks(CHUNKS, chunks);
        artefacts.putVectors(VECTORS, vectors, 2);
        // the blobs are written: a restart or another node reads them there
        PipelineArtefacts afterRestart = new PipelineArtefacts(blobs(), DataSize.ofMegabytes(1));
        assertThat(afterRestart.chunks(CHUNKS)).isEqualTo(chunks);
        assertThat(afterRestart.vectors(VECTORS)).containsExactly(vectors.toArray(float[][]::new));

        // this node answers from memory, even once the blobs are gone
        try (var files = Files.walk(root)) {
            files.filter(Files::isRegularFile).forEach(path -> path.toFile().delete());
        }
        assertThat(artefacts.chunks(CHUNKS)).isEqualTo(chunks);
        assertThat(artefacts.vectors(VECTORS)).containsExactly(vectors.toArray(float[][]::new));
        assertThatThrownBy(() -> afterRestart.chunks(CHUNKS)).isInstanceOf(PermanentStepException.class);
    }

    @Test
    void withNoMemoryEveryReadGoesToTheBlobStore() throws Exception {
        PipelineArtefacts artefacts = new PipelineArtefacts(blobs(), DataSize.ofBytes(0));
        artefacts.putChunks(CHUNKS, chunks);
        assertThat(artefacts.chunks(CHUNKS)).isEqualTo(chunks);
        try (var files = Files.walk(root)) {
            files.filter(Files::isRegularFile).forEach(path -> path.toFile().delete());
        }
        assertThatThrownBy(() -> artefacts.chunks(CHUNKS)).isInstanceOf(PermanentStepException.class);
    }
}

package io.dynamicrag.processing.pipeline;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dynamicrag.kernel.storage.BlobStore;
import io.dynamicrag.processing.chunking.Chunk;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.springframework.util.unit.DataSize;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads and writes what one step hands to the next through blob storage: parsed text, chunks (JSON) and vectors
 * (a compact binary: count, dimensions, then floats). Keeping them lets a failed step be retried without redoing
 * the ones before it, and a step on another node or after a restart find its input.
 *
 * <p>The chunks and vectors written last are also kept in memory for a while (bounded by
 * {@code rag.pipeline.artefact-memory}, 64 MB by default): the index step, which runs moments later and usually on
 * the same node, takes them from there instead of reading and decoding the blobs again. The blobs stay the record;
 * the memory copy is only ever what was just written under the same key.
 */
@Component
class PipelineArtefacts {

    private static final TypeReference<List<Chunk>> CHUNK_LIST = new TypeReference<>() {
    };
    /** Rough bytes of a chunk beyond its text: the record, its strings' headers, offsets. */
    private static final int CHUNK_OVERHEAD = 96;

    private final BlobStore blobs;
    private final ObjectMapper json = new ObjectMapper();
    private final Cache<String, Object> recent;

    PipelineArtefacts(BlobStore blobs,
                      @Value("${rag.pipeline.artefact-memory:64MB}") DataSize memory) {
        this.blobs = blobs;
        this.recent = Caffeine.newBuilder()
                .maximumWeight(Math.max(0, memory.toBytes()))
                // evictions on the writer's thread: the bound holds at once, no pool thread is borrowed
                .executor(Runnable::run)
                .weigher((String key, Object value) -> weight(value))
                .expireAfterWrite(Duration.ofMinutes(5))
                .build();
    }

    private static int weight(Object value) {
        long bytes = 0;
        if (value instanceof VectorSet vectors) {
            bytes = (long) vectors.vectors().size() * (vectors.dimensions() * 4L + 16);
        } else if (value instanceof List<?> chunks) {
            for (Object chunk : chunks) {
                bytes += CHUNK_OVERHEAD + 2L * ((Chunk) chunk).text().length();
            }
        }
        return (int) Math.min(Integer.MAX_VALUE, bytes);
    }

    private record VectorSet(List<float[]> vectors, int dimensions) {
    }

    byte[] raw(String key) {
        return read(key);
    }

    /** The raw upload as a stream the caller closes. */
    java.io.InputStream openRaw(String key) {
        return blobs.open(key).orElseThrow(() -> new PermanentStepException("stored file " + key + " is missing"));
    }

    void putText(String key, String text) {
        blobs.put(key, text.getBytes(StandardCharsets.UTF_8));
    }

    String text(String key) {
        return new String(read(key), StandardCharsets.UTF_8);
    }

    void putChunks(String key, List<Chunk> chunks) {
        try {
            blobs.put(key, json.writeValueAsBytes(chunks));
        } catch (IOException e) {
            recent.invalidate(key);
            throw new UncheckedIOException(e);
        }
        recent.put(key, List.copyOf(chunks));
    }

    @SuppressWarnings("unchecked")
    List<Chunk> chunks(String key) {
        if (recent.getIfPresent(key) instanceof List<?> kept) {
            return (List<Chunk>) kept;
        }
        try {
            return json.readValue(read(key), CHUNK_LIST);
        } catch (IOException e) {
            throw new PermanentStepException("stored chunks are unreadable", e);
        }
    }

    void putVectors(String key, List<float[]> vectors, int dimensions) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(8 + vectors.size() * dimensions * 4);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(vectors.size());
            out.writeInt(dimensions);
            for (float[] vector : vectors) {
                for (float v : vector) {
                    out.writeFloat(v);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            blobs.put(key, bytes.toByteArray());
        } catch (RuntimeException e) {
            recent.invalidate(key);
            throw e;
        }
        recent.put(key, new VectorSet(List.copyOf(vectors), dimensions));
    }

    /** The vectors as stored; callers must not modify the arrays (they may be the ones kept in memory). */
    List<float[]> vectors(String key) {
        if (recent.getIfPresent(key) instanceof VectorSet kept) {
            return kept.vectors();
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(read(key)))) {
            int count = in.readInt();
            int dimensions = in.readInt();
            List<float[]> vectors = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                float[] vector = new float[dimensions];
                for (int d = 0; d < dimensions; d++) {
                    vector[d] = in.readFloat();
                }
                vectors.add(vector);
            }
            return vectors;
        } catch (IOException e) {
            throw new PermanentStepException("stored vectors are unreadable", e);
        }
    }

    private byte[] read(String key) {
        return blobs.get(key).orElseThrow(() -> new PermanentStepException("stored file " + key + " is missing"));
    }
}

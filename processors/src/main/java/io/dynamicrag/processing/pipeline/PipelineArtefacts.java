package io.dynamicrag.processing.pipeline;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dynamicrag.kernel.storage.BlobStore;
import io.dynamicrag.processing.chunking.Chunk;
import org.springframework.stereotype.Component;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads and writes what one step hands to the next through blob storage: parsed text, chunks (JSON) and vectors
 * (a compact binary: count, dimensions, then floats). Keeping them lets a failed step be retried without redoing
 * the ones before it.
 */
@Component
class PipelineArtefacts {

    private static final TypeReference<List<Chunk>> CHUNK_LIST = new TypeReference<>() {
    };

    private final BlobStore blobs;
    private final ObjectMapper json = new ObjectMapper();

    PipelineArtefacts(BlobStore blobs) {
        this.blobs = blobs;
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
            throw new UncheckedIOException(e);
        }
    }

    List<Chunk> chunks(String key) {
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
        blobs.put(key, bytes.toByteArray());
    }

    List<float[]> vectors(String key) {
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

package io.dynamicrag.bench.speed;

import io.dynamicrag.processing.embedding.Embedder;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Embeds texts with the real model, batch by batch, and keeps the vectors in a file named after a hash of the model
 * and the texts, so a second run with the same corpus skips the (long) embedding and the vectors stay identical.
 */
final class VectorCache {

    private static final int BATCH = 32;

    private final Path directory;
    private final Embedder embedder;

    VectorCache(Path directory, Embedder embedder) {
        this.directory = directory;
        this.embedder = embedder;
    }

    float[][] embed(List<String> texts, String what) throws IOException {
        Path file = directory.resolve(embedder.modelName() + "-" + hash(texts) + ".f32");
        if (Files.exists(file)) {
            float[][] vectors = read(file, texts.size());
            System.out.printf("vectors: %d %s vectors (%s) read from the cache %s%n", texts.size(), what,
                    embedder.modelName(), file);
            return vectors;
        }
        float[][] vectors = new float[texts.size()][];
        long start = System.nanoTime();
        long lastReport = start;
        for (int from = 0; from < texts.size(); from += BATCH) {
            List<float[]> batch = embedder.embedAll(texts.subList(from, Math.min(from + BATCH, texts.size())));
            for (int i = 0; i < batch.size(); i++) {
                vectors[from + i] = batch.get(i);
            }
            if (System.nanoTime() - lastReport > 60e9) {
                lastReport = System.nanoTime();
                System.out.printf("  embedded %d/%d %s ...%n", from + batch.size(), texts.size(), what);
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("vectors: %d %s embedded with %s in %.0f s (%.1f texts/s), cached in %s%n", texts.size(),
                what, embedder.modelName(), seconds, texts.size() / seconds, file);
        write(file, vectors);
        return vectors;
    }

    private static String hash(List<String> texts) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (String text : texts) {
                digest.update(text.getBytes(StandardCharsets.UTF_8));
                digest.update((byte) 0);
            }
            return HexFormat.of().formatHex(digest.digest(), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static float[][] read(Path file, int count) throws IOException {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 20))) {
            float[][] vectors = new float[count][];
            for (int i = 0; i < count; i++) {
                float[] v = new float[in.readInt()];
                for (int j = 0; j < v.length; j++) {
                    v[j] = in.readFloat();
                }
                vectors[i] = v;
            }
            return vectors;
        }
    }

    private static void write(Path file, float[][] vectors) throws IOException {
        Files.createDirectories(file.getParent());
        Path partial = file.resolveSibling(file.getFileName() + ".partial");
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(partial), 1 << 20))) {
            for (float[] v : vectors) {
                out.writeInt(v.length);
                for (float x : v) {
                    out.writeFloat(x);
                }
            }
        }
        Files.move(partial, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    static List<float[]> asList(float[][] vectors) {
        return new ArrayList<>(List.of(vectors));
    }
}

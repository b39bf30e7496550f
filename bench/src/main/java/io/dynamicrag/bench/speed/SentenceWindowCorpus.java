package io.dynamicrag.bench.speed;

import io.dynamicrag.bench.cranfield.CranfieldCollection;

import java.util.ArrayList;
import java.util.List;

/**
 * Real text in any quantity: the Cranfield abstracts cut into sentences (the collection writes " ." between them),
 * all documents end to end, and chunk {@code i} is a window of consecutive sentences. Pass {@code p = i / S} over the
 * S sentences starts window {@code i} at sentence {@code s = i mod S} with length {@code 1 + (s + p) mod L} (L = 12,
 * more if needed), so windows never repeat and lengths vary from one sentence to a long paragraph.
 */
final class SentenceWindowCorpus {

    /** Sentences {@code start .. start + length - 1} (wrapping around the end of the collection). */
    record Window(int start, int length) {
    }

    private final List<String> sentences;

    SentenceWindowCorpus(CranfieldCollection cranfield) {
        List<String> all = new ArrayList<>();
        for (CranfieldCollection.Doc doc : cranfield.documents()) {
            for (String sentence : doc.text().split(" \\. ")) {
                if (!sentence.isBlank()) {
                    all.add(sentence.trim() + " .");
                }
            }
        }
        this.sentences = List.copyOf(all);
    }

    List<String> sentences() {
        return sentences;
    }

    List<Window> windows(int count) {
        int s = sentences.size();
        int lengths = Math.max(12, (count + s - 1) / s);
        List<Window> windows = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int start = i % s;
            windows.add(new Window(start, 1 + (start + i / s) % lengths));
        }
        return windows;
    }

    String text(Window window) {
        StringBuilder text = new StringBuilder();
        for (int j = 0; j < window.length(); j++) {
            if (j > 0) {
                text.append(' ');
            }
            text.append(sentences.get((window.start() + j) % sentences.size()));
        }
        return text.toString();
    }

    /** The normalised mean of the window's sentence vectors. */
    float[] meanVector(Window window, float[][] sentenceVectors) {
        float[] sum = new float[sentenceVectors[0].length];
        for (int j = 0; j < window.length(); j++) {
            float[] v = sentenceVectors[(window.start() + j) % sentences.size()];
            for (int d = 0; d < sum.length; d++) {
                sum[d] += v[d];
            }
        }
        double norm = 0;
        for (float x : sum) {
            norm += x * x;
        }
        float scale = (float) (1 / Math.sqrt(norm));
        for (int d = 0; d < sum.length; d++) {
            sum[d] *= scale;
        }
        return sum;
    }
}

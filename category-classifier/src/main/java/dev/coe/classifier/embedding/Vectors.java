package dev.coe.classifier.embedding;

import java.util.Arrays;
import java.util.List;

/** Small dense-vector helpers on {@code float[]} embeddings. Stateless and thread-safe. */
final class Vectors {

    private Vectors() {
    }

    static double dot(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += a[i] * b[i];
        }
        return sum;
    }

    /** {@code sum(weights[i] * vectors[i])}, scaled to unit length (a zero sum stays zero). */
    static float[] weightedUnitSum(List<float[]> vectors, double[] weights) {
        float[] sum = new float[vectors.getFirst().length];
        for (int v = 0; v < vectors.size(); v++) {
            float[] vector = vectors.get(v);
            if (vector.length != sum.length) {
                throw new IllegalStateException("embedding dimensions differ: " + vector.length + " vs " + sum.length);
            }
            for (int i = 0; i < sum.length; i++) {
                sum[i] += (float) (weights[v] * vector[i]);
            }
        }
        return normalize(sum);
    }

    static float[] normalize(float[] vector) {
        double norm = Math.sqrt(dot(vector, vector));
        if (norm == 0) {
            return vector;
        }
        float[] unit = new float[vector.length];
        for (int i = 0; i < vector.length; i++) {
            unit[i] = (float) (vector[i] / norm);
        }
        return unit;
    }

    /** {@code a} followed by {@code b}. */
    static float[] concat(float[] a, float[] b) {
        float[] joined = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, joined, a.length, b.length);
        return joined;
    }
}

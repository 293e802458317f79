package dev.coe.classifier.lexical;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Cheap lexical features of a text for a first-stage classifier that needs no model: word unigrams,
 * word bigrams and character 4-grams of each word (with boundary marks), hashed into a fixed number
 * of buckets, counted, log-scaled and L2-normalised. Stateless and thread-safe; costs a few
 * microseconds per hundred words.
 * <p>
 * Used by {@code CrossValidation#lexicalCascade} to measure whether such a stage could answer alone
 * when it is confident; see the module README for the outcome.
 */
public final class HashedNgrams {

    /** Number of hash buckets (feature dimensions). */
    public static final int DEFAULT_BUCKETS = 4096;

    private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}_]+|[^\\s\\p{L}\\p{N}_]");
    private static final int CHAR_NGRAM = 4;

    private HashedNgrams() {
    }

    /** The hashed feature vector of {@code text}, with {@link #DEFAULT_BUCKETS} dimensions. */
    public static float[] features(String text) {
        return features(text, DEFAULT_BUCKETS);
    }

    /** The hashed feature vector of {@code text}, with {@code buckets} dimensions. */
    public static float[] features(String text, int buckets) {
        float[] counts = new float[buckets];
        Matcher m = WORD.matcher(text.toLowerCase(Locale.ROOT));
        String previous = "<s>";
        while (m.find()) {
            String word = m.group();
            add(counts, "w:" + word);
            add(counts, "b:" + previous + ' ' + word);
            String padded = '<' + word + '>';
            for (int i = 0; i + CHAR_NGRAM <= padded.length(); i++) {
                add(counts, "c:" + padded.substring(i, i + CHAR_NGRAM));
            }
            previous = word;
        }
        double norm = 0;
        for (int j = 0; j < buckets; j++) {
            if (counts[j] > 0) {
                counts[j] = (float) Math.log1p(counts[j]);
                norm += counts[j] * counts[j];
            }
        }
        if (norm > 0) {
            float scale = (float) (1 / Math.sqrt(norm));
            for (int j = 0; j < buckets; j++) {
                counts[j] *= scale;
            }
        }
        return counts;
    }

    private static void add(float[] counts, String feature) {
        int h = feature.hashCode() * 0x9E3779B1; // spread String.hashCode's low bits
        counts[Math.floorMod(h ^ (h >>> 16), counts.length)] += 1;
    }
}

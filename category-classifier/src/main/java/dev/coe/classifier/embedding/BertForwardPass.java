package dev.coe.classifier.embedding;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.langchain4j.model.embedding.onnx.PoolingMode;

import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Embeds one text with a BERT-style ONNX model on the calling thread: tokenised once, one forward
 * pass, pooled and normalised. Thread-safe (the session and the tokenizer are).
 * <p>
 * Why not langchain4j's {@code OnnxBertBiEncoder}: for every text it calls the tokenizer four times
 * (tokenise, rebuild the sentence, tokenise it again to check, encode) and copies the whole
 * {@code [tokens × 384]} output into Java arrays, about 0.3 ms of the 4–5 ms that a 30-token prompt
 * costs on the classifier's critical path. For a text within the model's window the vector here is the
 * same, bit for bit: same ids (checked on 2,164 training and benchmark texts), same pooling, same
 * normalisation in the same float arithmetic ({@code OnnxSentenceEmbeddingModelTest} compares them).
 * A text beyond the window (the classifier's {@code TextWindow} keeps its pieces far below it, so
 * this is a safety net) is cut into windows of {@value #MAX_CONTENT_TOKENS} tokens, each embedded
 * with its own {@code [CLS]} and {@code [SEP]}, and averaged weighted by length. langchain4j has code
 * for that too, but its tokenizer keeps DJL's default truncation at 512 tokens, so there a longer text
 * is silently cut to its first 510 tokens; the tokenizer given here must not truncate.
 */
final class BertForwardPass {

    /** BERT's window is 512 positions, two of which hold {@code [CLS]} and {@code [SEP]}. */
    static final int MAX_CONTENT_TOKENS = 510;

    /** A text's unit vector and how many tokens it had, special tokens excluded. */
    record Result(float[] vector, int tokens) {
    }

    private final OrtEnvironment environment;
    private final OrtSession session;
    private final HuggingFaceTokenizer tokenizer;
    private final PoolingMode pooling;
    private final boolean takesTokenTypes;

    BertForwardPass(OrtEnvironment environment, OrtSession session, HuggingFaceTokenizer tokenizer,
                    PoolingMode pooling) {
        this.environment = Objects.requireNonNull(environment, "environment");
        this.session = Objects.requireNonNull(session, "session");
        this.tokenizer = Objects.requireNonNull(tokenizer, "tokenizer");
        this.pooling = Objects.requireNonNull(pooling, "pooling");
        Set<String> inputs = session.getInputNames();
        this.takesTokenTypes = inputs.contains("token_type_ids");
    }

    Result embed(String text) {
        Encoding encoding = tokenizer.encode(text, true, false);
        long[] ids = encoding.getIds();
        int content = ids.length - 2;
        if (content <= MAX_CONTENT_TOKENS) {
            return new Result(normalize(pool(run(ids))), content);
        }
        List<float[]> windows = new ArrayList<>();
        List<Integer> weights = new ArrayList<>();
        for (int from = 1; from < ids.length - 1; from += MAX_CONTENT_TOKENS) {
            int to = Math.min(from + MAX_CONTENT_TOKENS, ids.length - 1);
            long[] window = new long[to - from + 2];
            window[0] = ids[0];
            System.arraycopy(ids, from, window, 1, to - from);
            window[window.length - 1] = ids[ids.length - 1];
            windows.add(pool(run(window)));
            weights.add(to - from);
        }
        return new Result(normalize(weightedAverage(windows, weights)), content);
    }

    /** The last hidden state, {@code [tokens × dimension]} row by row, for one sequence without padding. */
    private float[][] run(long[] ids) {
        long[] shape = {1, ids.length};
        long[] ones = new long[ids.length];
        Arrays.fill(ones, 1L);
        try (OnnxTensor idTensor = OnnxTensor.createTensor(environment, LongBuffer.wrap(ids), shape);
             OnnxTensor maskTensor = OnnxTensor.createTensor(environment, LongBuffer.wrap(ones), shape);
             OnnxTensor typeTensor = OnnxTensor.createTensor(environment, LongBuffer.wrap(new long[ids.length]), shape)) {
            Map<String, OnnxTensor> inputs = new HashMap<>(4);
            inputs.put("input_ids", idTensor);
            inputs.put("attention_mask", maskTensor);
            if (takesTokenTypes) {
                inputs.put("token_type_ids", typeTensor);
            }
            try (OrtSession.Result result = session.run(inputs)) {
                OnnxTensor hidden = (OnnxTensor) result.get(0);
                long[] outShape = hidden.getInfo().getShape();
                int rows = pooling == PoolingMode.CLS ? 1 : (int) outShape[1];
                int dimension = (int) outShape[2];
                FloatBuffer buffer = hidden.getFloatBuffer();
                float[][] vectors = new float[rows][dimension];
                for (float[] row : vectors) {
                    buffer.get(row);
                }
                return vectors;
            }
        } catch (OrtException e) {
            throw new IllegalStateException("embedding model failed: " + e.getMessage(), e);
        }
    }

    /** CLS: the first token's vector; MEAN: the mean over every token, special ones included, as langchain4j. */
    private float[] pool(float[][] vectors) {
        if (pooling == PoolingMode.CLS) {
            return vectors[0];
        }
        float[] mean = new float[vectors[0].length];
        for (float[] vector : vectors) {
            for (int j = 0; j < mean.length; j++) {
                mean[j] += vector[j];
            }
        }
        for (int j = 0; j < mean.length; j++) {
            mean[j] /= vectors.length;
        }
        return mean;
    }

    private static float[] weightedAverage(List<float[]> vectors, List<Integer> weights) {
        float[] average = new float[vectors.get(0).length];
        int total = 0;
        for (int i = 0; i < vectors.size(); i++) {
            total += weights.get(i);
            for (int j = 0; j < average.length; j++) {
                average[j] += vectors.get(i)[j] * weights.get(i);
            }
        }
        for (int j = 0; j < average.length; j++) {
            average[j] /= total;
        }
        return average;
    }

    /** In float, summed in order, as langchain4j does, so that the vectors match it exactly. */
    private static float[] normalize(float[] vector) {
        float sumSquare = 0;
        for (float v : vector) {
            sumSquare += v * v;
        }
        float norm = (float) Math.sqrt(sumSquare);
        float[] unit = new float[vector.length];
        for (int i = 0; i < vector.length; i++) {
            unit[i] = vector[i] / norm;
        }
        return unit;
    }
}

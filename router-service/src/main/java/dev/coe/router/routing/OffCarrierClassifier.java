package dev.coe.router.routing;

import dev.coe.classifier.CategoryClassifier;
import dev.coe.classifier.ForwardingClassifier;
import dev.coe.classifier.Classification;
import dev.coe.classifier.Turn;

import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs a classifier's work on platform threads of its own when it is called from a virtual thread, as every request
 * is here. The embedding's forward pass is a native call (ONNX Runtime), and a virtual thread in a native call pins
 * its carrier: with as many carriers as cores, two classifications at once on two cores would stop every other
 * request of the router — the streams being forwarded, the cache hits, the requests that name their expert — for
 * the 5 to 20 ms of a pass. Here the request's virtual thread waits for the answer without holding a carrier, and
 * the operating system shares the cores between the classifications and the rest.
 * <p>
 * The pool has one thread per core (more could not run a pass any sooner), and threads end after a minute idle.
 * Called from a platform thread (the CLI, tests), it classifies on the caller's thread. Thread-safe.
 */
public final class OffCarrierClassifier extends ForwardingClassifier {

    private final ExecutorService pool;

    public OffCarrierClassifier(CategoryClassifier delegate) {
        this(delegate, Runtime.getRuntime().availableProcessors());
    }

    OffCarrierClassifier(CategoryClassifier delegate, int threads) {
        super(delegate);
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be positive, but was " + threads);
        }
        AtomicInteger n = new AtomicInteger();
        ThreadPoolExecutor executor = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                r -> Thread.ofPlatform().daemon().name("classifier-" + n.incrementAndGet()).unstarted(r));
        executor.allowCoreThreadTimeOut(true);
        this.pool = executor;
    }

    @Override
    public Classification classify(List<Turn> conversation) {
        if (!Thread.currentThread().isVirtual()) {
            return delegate.classify(conversation);
        }
        Future<Classification> result = pool.submit(() -> delegate.classify(conversation));
        try {
            return result.get();
        } catch (ExecutionException e) {
            // The classifier's own exception (e.g. IllegalArgumentException for a conversation without text), unchanged.
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException("classification failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            result.cancel(true);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the classification", e);
        }
    }
}

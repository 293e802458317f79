package dev.coe.router.routing;

import dev.coe.classifier.CategoryClassifier;
import dev.coe.classifier.ForwardingClassifier;
import dev.coe.classifier.Classification;
import dev.coe.classifier.Turn;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

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
 * <p>
 * Under overload a request is answered on its fallback chain rather than wait long for a pass
 * ({@link ClassifierBusyException}). How long a classification may wait for a thread depends on the queue, as in
 * the controlled-delay queues of RPC servers (Facebook, "Fail at scale", 2015): up to {@code maxWait} while the
 * queue has been empty within the last {@code maxWait}, so that a burst is absorbed and classified; only a tenth of
 * it once the queue has stood that long without emptying, since that queue is sustained overload, and letting it
 * stand at {@code maxWait} would add the whole limit to every routed request (measured: 250 ms at p50). The wait
 * is foreseen from the tasks already queued and the recent pass time, so that a refused request is refused at once
 * rather than after waiting; a task that has waited past its limit all the same when a thread takes it is refused
 * then, unrun. Without any limit, traffic beyond what the cores can classify queues without bound and every routed
 * request waits for all those before it ({@code docs/benchmarks.md}, "Classifier overload"). The caller waits
 * without a timer, and a pass that has started always finishes.
 */
public final class OffCarrierClassifier extends ForwardingClassifier {

    /**
     * {@code maxWait} of the constructor without one (tests); the router's comes from {@code coe.classifier-max-wait},
     * whose default is the same: small beside an expert's answer, large beside one pass (5 to 40 ms).
     */
    static final Duration DEFAULT_MAX_WAIT = Duration.ofMillis(250);

    /** Pass time assumed until one has been measured: a short prompt's pass on a two-core machine. */
    static final Duration INITIAL_PASS_ESTIMATE = Duration.ofMillis(10);

    private final ThreadPoolExecutor pool;
    private final int threads;
    private final long maxWaitNanos;
    private final long standingWaitNanos;
    private final LongSupplier nanoTime;
    /** When the queue was last seen empty (a task queued or taken with none behind it). */
    private volatile long lastEmptyNanos;
    /**
     * Recent pass time, an exponentially weighted mean over about eight passes. Updated by the classifier threads
     * without a lock: an update lost to a race only makes the estimate a pass staler, which the limit tolerates.
     */
    private volatile long passNanos = INITIAL_PASS_ESTIMATE.toNanos();

    /** Classifications queued for a thread now (tests wait on it: a task reads the clock before it is queued). */
    int queued() {
        return pool.getQueue().size();
    }

    /** One thread per core; a classification may wait up to {@code maxWait} for one. */
    public OffCarrierClassifier(CategoryClassifier delegate, Duration maxWait) {
        this(delegate, Runtime.getRuntime().availableProcessors(), maxWait, System::nanoTime);
    }

    OffCarrierClassifier(CategoryClassifier delegate, int threads) {
        this(delegate, threads, DEFAULT_MAX_WAIT, System::nanoTime);
    }

    OffCarrierClassifier(CategoryClassifier delegate, int threads, Duration maxWait, LongSupplier nanoTime) {
        super(delegate);
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be positive, but was " + threads);
        }
        if (maxWait.isNegative() || maxWait.isZero()) {
            throw new IllegalArgumentException("maxWait must be positive, but was " + maxWait);
        }
        this.threads = threads;
        this.maxWaitNanos = maxWait.toNanos();
        this.standingWaitNanos = maxWaitNanos / 10;
        this.nanoTime = nanoTime;
        this.lastEmptyNanos = nanoTime.getAsLong();
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
        long queued = nanoTime.getAsLong();
        int ahead = pool.getQueue().size();
        if (ahead == 0) {
            lastEmptyNanos = queued;
        }
        long standingFor = queued - lastEmptyNanos;
        long limit = standingFor > maxWaitNanos ? standingWaitNanos : maxWaitNanos;
        // With every thread busy and `ahead` tasks queued, this one starts after about ahead / threads + 1 passes.
        long foreseen = ahead == 0 ? 0 : (ahead / threads + 1) * passNanos;
        if (foreseen > limit) {
            throw ClassifierBusyException.foreseen(Duration.ofNanos(foreseen), Duration.ofNanos(limit), ahead,
                    Duration.ofNanos(standingFor));
        }
        Future<Classification> result = pool.submit(() -> {
            long started = nanoTime.getAsLong();
            if (pool.getQueue().isEmpty()) {
                lastEmptyNanos = started;
            }
            if (started - queued > limit) {
                throw ClassifierBusyException.waited(Duration.ofNanos(started - queued), Duration.ofNanos(limit));
            }
            try {
                return delegate.classify(conversation);
            } finally {
                long pass = nanoTime.getAsLong() - started;
                passNanos += (pass - passNanos) / 8;
            }
        });
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

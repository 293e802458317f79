package dev.coe.router.routing;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Decides when the router warns that requests are being routed unclassified because the classifier is overloaded:
 * at once for the first, then at most once per interval with the count since the last warning. Under overload that
 * happens hundreds of times a second, and a line each would bury the log; none at all would leave only the metric.
 * Thread-safe.
 */
final class UnclassifiedWarnings {

    /** Default interval between two warnings. */
    static final Duration DEFAULT_INTERVAL = Duration.ofMinutes(1);

    private final long intervalNanos;
    private final LongSupplier nanoTime;
    private final AtomicLong pending = new AtomicLong();
    private final AtomicLong nextWarning;

    UnclassifiedWarnings(Duration interval, LongSupplier nanoTime) {
        this.intervalNanos = interval.toNanos();
        this.nanoTime = nanoTime;
        this.nextWarning = new AtomicLong(nanoTime.getAsLong());
    }

    /**
     * Counts one request routed unclassified.
     *
     * @return how many to report in a warning now (this one and those since the last warning), or 0 when the last
     *         warning is too recent
     */
    long record() {
        pending.incrementAndGet();
        long now = nanoTime.getAsLong();
        long due = nextWarning.get();
        if (now - due >= 0 && nextWarning.compareAndSet(due, now + intervalNanos)) {
            return pending.getAndSet(0);
        }
        return 0;
    }
}

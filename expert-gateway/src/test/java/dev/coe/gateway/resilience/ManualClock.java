package dev.coe.gateway.resilience;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A {@link GatewayClock} that only moves when told: {@link #advance(Duration)} runs every timer task that falls due,
 * in order, on the calling thread; {@link #sleep(Duration)} advances the clock by the sleep instead of waiting and
 * records it. Lets tests drive timeouts, backoff and the breaker's open-state wait without sleeping. Thread-safe.
 */
public final class ManualClock implements GatewayClock {

    private static final Instant EPOCH = Instant.parse("2026-01-01T00:00:00Z");

    private record Task(long due, long seq, Runnable run, boolean[] cancelled) {
    }

    private final PriorityQueue<Task> tasks = new PriorityQueue<>((a, b) -> a.due != b.due ? Long.compare(a.due, b.due) : Long.compare(a.seq, b.seq));
    private final List<Duration> sleeps = new CopyOnWriteArrayList<>();
    private long now;
    private long seq;

    @Override
    public synchronized long nanoTime() {
        return now;
    }

    @Override
    public Clock wallClock() {
        return GatewayClock.asClock(this, EPOCH);
    }

    @Override
    public synchronized Cancellable schedule(Runnable task, Duration delay) {
        boolean[] cancelled = {false};
        tasks.add(new Task(now + Math.max(0, delay.toNanos()), seq++, task, cancelled));
        return () -> {
            synchronized (ManualClock.this) {
                cancelled[0] = true;
            }
        };
    }

    @Override
    public void sleep(Duration duration) {
        sleeps.add(duration);
        advance(duration);
    }

    /** Moves time on by {@code by}, running the tasks that fall due on the way, each at its own due time. */
    public void advance(Duration by) {
        long target;
        synchronized (this) {
            target = now + by.toNanos();
        }
        while (true) {
            Task next;
            synchronized (this) {
                next = tasks.peek();
                if (next == null || next.due > target) {
                    now = Math.max(now, target);
                    return;
                }
                tasks.poll();
                now = Math.max(now, next.due);
                if (next.cancelled[0]) {
                    continue;
                }
            }
            next.run.run();
        }
    }

    /** The sleeps asked of this clock so far (retry backoff, Retry-After), in order. */
    public List<Duration> sleeps() {
        return new ArrayList<>(sleeps);
    }

    /** Timer tasks scheduled and neither run nor cancelled. */
    public synchronized long pendingTasks() {
        return tasks.stream().filter(t -> !t.cancelled[0]).count();
    }
}

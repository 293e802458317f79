package dev.coe.gateway.resilience;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The gateway's one source of time: reading it, waiting, and running a task later. Deadlines, first-token and
 * total timeouts, retry backoff and the circuit breaker's open-state wait all go through it, so that tests
 * drive them with a manual clock instead of sleeping. Implementations are thread-safe.
 */
public interface GatewayClock {

    /** Monotonic time in nanoseconds, as {@link System#nanoTime()}. */
    long nanoTime();

    /** Wall-clock time for libraries that want a {@link Clock} (the circuit breaker's open-state wait). */
    Clock wallClock();

    /** Runs {@code task} once after {@code delay}, on a timer thread; the task must be short and must not block. */
    Cancellable schedule(Runnable task, Duration delay);

    /** Blocks the calling thread for {@code duration}. */
    void sleep(Duration duration) throws InterruptedException;

    /** A timer task that may be called off. */
    interface Cancellable {
        Cancellable NONE = () -> { };

        void cancel();
    }

    /** The real clock, with one shared daemon timer thread. */
    static GatewayClock system() {
        return SystemClock.INSTANCE;
    }

    /** Real time; timer tasks run on one daemon thread and only hand work on, so one thread is enough. */
    final class SystemClock implements GatewayClock {

        static final SystemClock INSTANCE = new SystemClock();

        private final ScheduledThreadPoolExecutor timer;

        private SystemClock() {
            timer = new ScheduledThreadPoolExecutor(1, r -> {
                Thread t = new Thread(r, "coe-gateway-timer");
                t.setDaemon(true);
                return t;
            });
            // Most timeouts are cancelled long before they fire: don't keep them queued until then.
            timer.setRemoveOnCancelPolicy(true);
        }

        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public Clock wallClock() {
            return Clock.systemUTC();
        }

        @Override
        public Cancellable schedule(Runnable task, Duration delay) {
            ScheduledFuture<?> f = timer.schedule(task, Math.max(0, delay.toNanos()), TimeUnit.NANOSECONDS);
            return () -> f.cancel(false);
        }

        @Override
        public void sleep(Duration duration) throws InterruptedException {
            if (!duration.isNegative() && !duration.isZero()) {
                TimeUnit.NANOSECONDS.sleep(duration.toNanos());
            }
        }

        @Override
        public String toString() {
            return "GatewayClock.system()";
        }
    }

    /** A fixed-offset {@link Clock} that reads this gateway clock, anchored at {@code epoch} for nanoTime 0. */
    static Clock asClock(GatewayClock clock, Instant epoch) {
        return new Clock() {
            @Override
            public ZoneOffset getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return epoch.plusNanos(clock.nanoTime());
            }
        };
    }
}

package dev.coe.gateway.resilience;

import java.time.Duration;

/**
 * The moment by which a whole request must be answered, shared by every expert of its fallback chain so that
 * retries and fallbacks together never outlast it. Immutable and thread-safe.
 */
public final class Deadline {

    private final GatewayClock clock;
    private final long atNanos;

    private Deadline(GatewayClock clock, long atNanos) {
        this.clock = clock;
        this.atNanos = atNanos;
    }

    /** The deadline {@code budget} from now on {@code clock}. */
    public static Deadline after(GatewayClock clock, Duration budget) {
        long now = clock.nanoTime();
        long nanos = budget.toNanos();
        // Saturate rather than overflow for a "practically never" budget.
        long at = nanos > Long.MAX_VALUE - now - 1 ? Long.MAX_VALUE : now + nanos;
        return new Deadline(clock, at);
    }

    /** Time left, never negative. */
    public Duration remaining() {
        long left = atNanos - clock.nanoTime();
        return left <= 0 ? Duration.ZERO : Duration.ofNanos(left);
    }

    public boolean expired() {
        return atNanos - clock.nanoTime() <= 0;
    }

    /** The shorter of {@code limit} and the time left. */
    public Duration cap(Duration limit) {
        Duration left = remaining();
        return limit.compareTo(left) <= 0 ? limit : left;
    }

    public GatewayClock clock() {
        return clock;
    }

    @Override
    public String toString() {
        return "Deadline{remaining=" + remaining().toMillis() + "ms}";
    }
}

package dev.coe.evaluation.run;

import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A one-line progress bar with rate and ETA, redrawn at most every {@link #REDRAW_INTERVAL} (and once at the end).
 * Thread-safe.
 */
public final class Progress {

    public static final Duration REDRAW_INTERVAL = Duration.ofSeconds(2);
    private static final int WIDTH = 30;

    private final String label;
    private final int total;
    private final PrintStream out;
    private final long start = System.nanoTime();
    private final AtomicInteger done = new AtomicInteger();
    private volatile long lastDraw;

    public Progress(String label, int total, PrintStream out) {
        this.label = label;
        this.total = total;
        this.out = out;
    }

    public void step() {
        int d = done.incrementAndGet();
        long now = System.nanoTime();
        if (d == total || now - lastDraw >= REDRAW_INTERVAL.toNanos()) {
            lastDraw = now;
            out.println(line(d, (now - start) / 1e9));
        }
    }

    /** e.g. {@code mt-bench [#########.....] 96/160 12.0/s ETA 5s} */
    String line(int d, double elapsedSeconds) {
        int filled = total == 0 ? WIDTH : (int) ((long) WIDTH * d / total);
        double rate = elapsedSeconds > 0 ? d / elapsedSeconds : 0;
        long eta = rate > 0 ? Math.round((total - d) / rate) : -1;
        return "%s [%s%s] %d/%d %.1f/s ETA %s".formatted(label, "#".repeat(filled), ".".repeat(WIDTH - filled), d,
                total, rate, eta < 0 ? "?" : eta + "s");
    }
}

package dev.coe.evaluation.judge;

import java.util.OptionalDouble;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the grade out of a judge's output the way FastChat does: the first {@code [[rating]]}, else the first
 * {@code [rating]}, a number from 1 to 10. Output without one, or with a number outside 1-10, is unparseable: it
 * is counted here, and the caller reports the count, so no judgement is dropped silently. Thread-safe.
 */
public final class RatingParser {

    private static final Pattern DOUBLE_BRACKETS = Pattern.compile("\\[\\[(\\d+\\.?\\d*)\\]\\]");
    private static final Pattern SINGLE_BRACKETS = Pattern.compile("\\[(\\d+\\.?\\d*)\\]");

    private final AtomicInteger parsed = new AtomicInteger();
    private final AtomicInteger unparseable = new AtomicInteger();

    /** The rating, or empty (and one more unparseable) when the output has none in 1-10. */
    public OptionalDouble parse(String judgement) {
        OptionalDouble rating = judgement == null ? OptionalDouble.empty() : find(judgement);
        (rating.isPresent() ? parsed : unparseable).incrementAndGet();
        return rating;
    }

    private static OptionalDouble find(String text) {
        for (Pattern p : new Pattern[] {DOUBLE_BRACKETS, SINGLE_BRACKETS}) {
            Matcher m = p.matcher(text);
            if (m.find()) {
                double v = Double.parseDouble(m.group(1));
                return v >= 1 && v <= 10 ? OptionalDouble.of(v) : OptionalDouble.empty();
            }
        }
        return OptionalDouble.empty();
    }

    public int parsed() {
        return parsed.get();
    }

    public int unparseable() {
        return unparseable.get();
    }
}

package dev.coe.evaluation.report;

import java.util.ArrayList;
import java.util.List;

/**
 * The CI gate of one suite: the router's score must not fall below the threshold committed in the suite file, nor
 * below random routing, and in replay mode every call must have succeeded (a failed call would silently shrink
 * the set the score is averaged over).
 */
public record Gate(Double minScore, List<String> violations) {

    public Gate {
        violations = List.copyOf(violations);
    }

    public static Gate check(Figures f, Double minScore, boolean replay) {
        List<String> v = new ArrayList<>();
        Double router = f.router().score();
        Double random = f.line("random").score();
        if (router == null) {
            v.add(f.suite() + ": the router earned no score at all");
        } else {
            if (minScore != null && router < minScore) {
                v.add("%s: router score %.4f is below the committed threshold %.4f".formatted(f.suite(), router, minScore));
            }
            if (random != null && router < random) {
                v.add("%s: router score %.4f is below random routing %.4f".formatted(f.suite(), router, random));
            }
        }
        if (replay && f.failed() > 0) {
            v.add(f.suite() + ": " + f.failed() + " calls through the router failed");
        }
        return new Gate(minScore, v);
    }

    public boolean passed() {
        return violations.isEmpty();
    }
}

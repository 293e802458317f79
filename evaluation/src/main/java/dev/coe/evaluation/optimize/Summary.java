package dev.coe.evaluation.optimize;

import java.util.Locale;
import java.util.Map;

/** The plain-text summary of a {@link FrontierReport} that the CLI prints. Stateless. */
final class Summary {

    private Summary() {
    }

    static String text(FrontierReport r) {
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "%s: fitted on %d items, reported on %d held-out items; classifier %s; cost in %s%n",
                r.suite(), r.fitItems(), r.heldOutItems(), r.classifier(), r.basis().unit()));
        s.append(r.classifierAccuracy().count() == 0 ? "held-out items have no category labels\n"
                : String.format(Locale.ROOT, "classifier accuracy on labelled held-out items: %s%n", r.classifierAccuracy()));
        if (!r.excluded().isEmpty()) {
            s.append("left out: ").append(r.excluded()).append('\n');
        }
        s.append(String.format(Locale.ROOT, "frontier: %d mappings; cells shrunk with pseudo-count %.0f%s%n",
                r.frontier().size(), r.shrinkage(), r.shrinkageCv().isEmpty() ? ""
                        : " (5-fold CV on the fitting split: " + r.shrinkageCv() + ")"));
        s.append("held-out (evaluation split) figures; quality ± standard error; Δ = paired difference to the best single\n");
        line(s, r.bestSingle());
        r.budgets().values().forEach(p -> line(s, p));
        r.knownCategories().values().forEach(p -> line(s, p));
        if (r.live() != null) {
            line(s, r.live());
        } else {
            s.append("live mapping: not scored (its experts have no recorded scores in this suite)\n");
        }
        s.append("single experts (best first):\n");
        r.singles().forEach(p -> s.append(String.format(Locale.ROOT, "  %-32s cost %7.2f  quality %s%n", p.label(), p.cost(),
                p.quality())));
        s.append("mappings at the budgets:\n");
        r.budgets().forEach((name, p) -> s.append("  ").append(name).append(": ").append(compact(p.mapping())).append('\n'));
        return s.toString();
    }

    private static void line(StringBuilder s, FrontierReport.Point p) {
        s.append(String.format(Locale.ROOT, "%-52s cost %7.2f (fit %7.2f)  quality %.4f ± %.4f (n=%d%s)%s%n", p.label(),
                p.cost(), p.fitCost(), p.quality().mean(), p.quality().standardError(), p.quality().count(),
                p.unscored() > 0 ? ", unscored " + p.unscored() : "",
                p.vsBestSingle() == null ? "" : String.format(Locale.ROOT, "  Δ %+.4f ± %.4f", p.vsBestSingle().mean(),
                        p.vsBestSingle().standardError())));
    }

    private static String compact(Map<String, String> mapping) {
        StringBuilder s = new StringBuilder();
        mapping.forEach((c, e) -> s.append(s.isEmpty() ? "" : ", ").append(c).append("→").append(e));
        return s.toString();
    }
}

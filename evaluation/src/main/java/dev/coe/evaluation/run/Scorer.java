package dev.coe.evaluation.run;

import dev.coe.evaluation.suite.Suite;
import dev.coe.evaluation.suite.SuiteItem;

import java.util.List;

/** What an answer earns. Implementations are thread-safe. */
public interface Scorer {

    /**
     * @param answers the answers given so far in this conversation, the one scored last
     * @return the score, or null when it cannot be determined (counted and reported by the runner)
     */
    Double score(Suite suite, SuiteItem item, int turn, List<String> answers, RoutedAnswer answer);
}

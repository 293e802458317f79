package dev.coe.evaluation.run;

import dev.coe.evaluation.suite.Suite;
import dev.coe.evaluation.suite.SuiteItem;

import java.util.List;

/**
 * Replay mode: the answer earns the recorded grade of the model behind the expert the router picked. It checks
 * that the answer is that model's recorded one, so a replay that served the wrong answer cannot pass unseen.
 */
public final class RecordedScorer implements Scorer {

    @Override
    public Double score(Suite suite, SuiteItem item, int turn, List<String> answers, RoutedAnswer answer) {
        String model = suite.definition().expert(answer.expert()).model();
        String recorded = item.answer(model, turn);
        if (!recorded.equals(answer.content())) {
            throw new IllegalStateException("expert " + answer.expert() + " answered item " + item.id() + " turn "
                    + turn + " with something other than the recorded answer of " + model);
        }
        return item.score(model, turn);
    }
}

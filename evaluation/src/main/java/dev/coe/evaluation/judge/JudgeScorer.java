package dev.coe.evaluation.judge;

import dev.coe.evaluation.run.ChatEndpoint;
import dev.coe.evaluation.run.RoutedAnswer;
import dev.coe.evaluation.run.RouterCallFailedException;
import dev.coe.evaluation.run.Scorer;
import dev.coe.evaluation.suite.Suite;
import dev.coe.evaluation.suite.SuiteItem;

import java.util.List;
import java.util.OptionalDouble;

/**
 * Live mode, MT-Bench and arena: an LLM judge (any expert of the router, called directly by its id) grades each
 * turn 1-10 with MT-Bench's single-answer prompts, reference-guided for math, reasoning and coding. A judgement
 * without a parseable {@code [[rating]]}, or a failed judge call, leaves the turn unscored and is counted in
 * {@link #parser()} and {@link #failedCalls()}. Thread-safe.
 */
public final class JudgeScorer implements Scorer {

    private final ChatEndpoint endpoint;
    private final String judgeExpert;
    private final JudgePrompts prompts;
    private final RatingParser parser = new RatingParser();
    private final java.util.concurrent.atomic.AtomicInteger failedCalls = new java.util.concurrent.atomic.AtomicInteger();

    public JudgeScorer(ChatEndpoint endpoint, String judgeExpert, JudgePrompts prompts) {
        this.endpoint = endpoint;
        this.judgeExpert = judgeExpert;
        this.prompts = prompts;
    }

    @Override
    public Double score(Suite suite, SuiteItem item, int turn, List<String> answers, RoutedAnswer answer) {
        JudgePrompts.Filled filled = prompts.fill(item.trueCategory() != null ? item.trueCategory() : answer.category(),
                item.turns(), answers, item.reference(), turn);
        try {
            RoutedAnswer judgement = endpoint.chat(judgeExpert, filled.system(), List.of(filled.user()));
            OptionalDouble rating = parser.parse(judgement.content());
            return rating.isPresent() ? rating.getAsDouble() : null;
        } catch (RouterCallFailedException e) {
            failedCalls.incrementAndGet();
            return null;
        }
    }

    public RatingParser parser() {
        return parser;
    }

    public int failedCalls() {
        return failedCalls.get();
    }
}

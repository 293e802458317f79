package dev.coe.evaluation.judge;

import dev.coe.evaluation.run.RoutedAnswer;
import dev.coe.evaluation.run.Scorer;
import dev.coe.evaluation.suite.Suite;
import dev.coe.evaluation.suite.SuiteItem;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Live mode, MMLU-Pro: no judge, exact match of the chosen letter against the key. The letter is read as MMLU-Pro's
 * own evaluation does: "answer is (X)", else "Answer: X", else the last standalone letter A-J on its own line. An
 * answer without a letter scores 0 (a wrong answer, as in MMLU-Pro) and is counted in {@link #noChoice()}.
 */
public final class ChoiceScorer implements Scorer {

    private static final List<Pattern> PATTERNS = List.of(
            Pattern.compile("answer is \\(?([A-J])\\)?"),
            Pattern.compile("[Aa]nswer:\\s*\\(?([A-J])\\)?"),
            Pattern.compile("(?m)^\\s*\\(?([A-J])[).]?\\s*$"));

    private final AtomicInteger noChoice = new AtomicInteger();

    @Override
    public Double score(Suite suite, SuiteItem item, int turn, List<String> answers, RoutedAnswer answer) {
        Optional<String> letter = choice(answer.content());
        if (letter.isEmpty()) {
            noChoice.incrementAndGet();
            return 0.0;
        }
        return letter.get().equals(item.reference().getFirst()) ? 1.0 : 0.0;
    }

    /** The letter an answer chose, or empty. */
    public static Optional<String> choice(String text) {
        if (text == null) {
            return Optional.empty();
        }
        for (Pattern p : PATTERNS) {
            Matcher m = p.matcher(text);
            String last = null;
            while (m.find()) {
                last = m.group(1);
            }
            if (last != null) {
                return Optional.of(last);
            }
        }
        return Optional.empty();
    }

    public int noChoice() {
        return noChoice.get();
    }
}

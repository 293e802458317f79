package dev.coe.evaluation.run;

import dev.coe.evaluation.suite.Suite;

import java.util.List;
import java.util.Map;

/**
 * What one run of one suite produced: a record per scored turn, the router's answers per item (for the FastChat
 * answer file), and how long it took. Immutable.
 *
 * @param mode "replay" or "live"
 */
public record SuiteRun(Suite suite, String mode, List<ItemRecord> records, Map<String, List<String>> answers,
                       double elapsedSeconds) {

    public SuiteRun {
        records = List.copyOf(records);
        answers = Map.copyOf(answers);
    }
}

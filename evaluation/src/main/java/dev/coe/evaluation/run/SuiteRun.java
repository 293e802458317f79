package dev.coe.evaluation.run;

import dev.coe.evaluation.suite.Suite;

import java.util.List;
import java.util.Map;

/**
 * What one run of one suite produced: a record per scored turn, the router's answers per item (for the FastChat
 * answer file), and how long it took. Immutable.
 *
 * @param mode  "replay" or "live"
 * @param notes counters the report must show, e.g. the judge's unparseable judgements
 */
public record SuiteRun(Suite suite, String mode, List<ItemRecord> records, Map<String, List<String>> answers,
                       double elapsedSeconds, List<String> notes) {

    public SuiteRun {
        records = List.copyOf(records);
        answers = Map.copyOf(answers);
        notes = List.copyOf(notes);
    }

    public SuiteRun withNote(String note) {
        List<String> more = new java.util.ArrayList<>(notes);
        more.add(note);
        return new SuiteRun(suite, mode, records, answers, elapsedSeconds, more);
    }
}

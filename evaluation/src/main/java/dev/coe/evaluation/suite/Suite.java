package dev.coe.evaluation.suite;

import java.util.List;

/**
 * A loaded suite, ready to run: the items that will be scored, the routing table the replay router uses
 * (with a sentence saying how it was chosen), and what was left out and why. Immutable.
 *
 * @param leakedItems   items refused because a prompt of theirs is in the classifier's training data
 * @param missingGrades items left out of every figure because some expert's grade is missing
 */
public record Suite(SuiteDefinition definition, List<SuiteItem> items, String routingYaml, String routingNote,
                    List<String> leakedItems, int missingGrades) {

    public Suite {
        items = List.copyOf(items);
        leakedItems = List.copyOf(leakedItems);
    }

    public String name() {
        return definition.name();
    }

    /** Number of user turns per item: 2 for MT-Bench, 1 otherwise. */
    public int turns() {
        return definition.format() == SuiteFormat.MT_BENCH ? 2 : 1;
    }
}

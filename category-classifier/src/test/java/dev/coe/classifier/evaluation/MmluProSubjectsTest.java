package dev.coe.classifier.evaluation;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class MmluProSubjectsTest {

    @Test
    void should_map_subjects_to_categories_when_a_subject_has_one() {
        assertThat(MmluProSubjects.category("math")).contains("math");
        assertThat(MmluProSubjects.category("computer science")).contains("stem");
        assertThat(MmluProSubjects.category("health")).contains("stem");
        assertThat(MmluProSubjects.category("business")).contains("humanities");
        assertThat(MmluProSubjects.category("law")).contains("humanities");
    }

    @Test
    void should_map_nothing_when_the_subject_is_other_or_unknown() {
        assertThat(MmluProSubjects.category("other")).isEqualTo(Optional.empty());
        assertThat(MmluProSubjects.category("astrology")).isEmpty();
    }

    @Test
    void should_take_every_fifth_question_id_as_the_evaluation_split() {
        assertThat(MmluProSubjects.isEvaluationSplit("70")).isTrue();
        assertThat(MmluProSubjects.isEvaluationSplit("71")).isFalse();
    }

    @Test
    void should_letter_the_options_below_the_question_when_building_the_prompt() {
        // when
        String prompt = MmluProSubjects.prompt("Which gas is most abundant in air? ", List.of("Oxygen", " Nitrogen"));

        // then
        assertThat(prompt).isEqualTo("Which gas is most abundant in air?\n\nA. Oxygen\nB. Nitrogen");
    }
}

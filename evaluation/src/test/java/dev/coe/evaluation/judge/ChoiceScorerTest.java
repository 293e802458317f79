package dev.coe.evaluation.judge;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ChoiceScorerTest {

    @Test
    void should_read_the_chosen_letter_when_the_answer_states_it() {
        assertThat(ChoiceScorer.choice("Let's think. ... The answer is (C).")).hasValue("C");
        assertThat(ChoiceScorer.choice("Answer: J")).hasValue("J");
        assertThat(ChoiceScorer.choice("Reasoning first.\n\nB\n")).hasValue("B");
    }

    @Test
    void should_find_no_choice_when_the_answer_names_no_letter() {
        assertThat(ChoiceScorer.choice("I am not sure which option is right.")).isEmpty();
        assertThat(ChoiceScorer.choice(null)).isEmpty();
    }
}

package dev.coe.classifier.embedding;

import dev.coe.classifier.Turn;
import dev.coe.classifier.Turn.Role;
import dev.coe.classifier.embedding.ConversationFocus.WeightedText;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConversationFocusTest {

    @Test
    void should_weigh_the_latest_user_turn_fully_and_earlier_ones_less_when_the_conversation_has_several() {
        // given
        List<Turn> conversation = List.of(
                new Turn(Role.SYSTEM, "You are a helpful assistant."),
                Turn.user("first"), new Turn(Role.ASSISTANT, "answer 1"),
                Turn.user("second"), new Turn(Role.ASSISTANT, "answer 2"),
                Turn.user("third"), new Turn(Role.ASSISTANT, "answer 3"),
                Turn.user("latest"));

        // when
        List<WeightedText> focus = ConversationFocus.select(conversation, 0.5, 2);

        // then
        assertThat(focus).containsExactly(
                new WeightedText("latest", 1.0), new WeightedText("third", 0.5), new WeightedText("second", 0.25));
    }

    @Test
    void should_skip_blank_user_turns_and_trailing_assistant_turns_when_finding_the_latest_user_turn() {
        // given
        List<Turn> conversation = List.of(Turn.user("the question"), Turn.user("  "),
                new Turn(Role.ASSISTANT, "a reply"), new Turn(Role.TOOL, "{\"result\": 1}"));

        // when
        List<WeightedText> focus = ConversationFocus.select(conversation, 0.3, 0);

        // then
        assertThat(focus).containsExactly(new WeightedText("the question", 1.0));
    }

    @Test
    void should_ignore_earlier_turns_when_their_weight_is_zero() {
        // given
        List<Turn> conversation = List.of(Turn.user("old"), Turn.user("new"));

        // when
        List<WeightedText> focus = ConversationFocus.select(conversation, 0.0, 3);

        // then
        assertThat(focus).containsExactly(new WeightedText("new", 1.0));
    }

    @Test
    void should_fall_back_to_the_latest_turn_with_text_when_no_user_turn_has_text() {
        // given
        List<Turn> conversation = List.of(new Turn(Role.SYSTEM, "Translate everything into French."), Turn.user(""));

        // when
        List<WeightedText> focus = ConversationFocus.select(conversation, 0.3, 2);

        // then
        assertThat(focus).containsExactly(new WeightedText("Translate everything into French.", 1.0));
    }

    @Test
    void should_throw_illegal_argument_when_there_is_no_text_at_all() {
        // given
        List<Turn> blank = List.of(Turn.user(" \n\t"), new Turn(Role.SYSTEM, null), Turn.user("\u200B\uFEFF\u0000"));

        // when / then
        assertThatThrownBy(() -> ConversationFocus.select(blank, 0.3, 2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no text to classify");
        assertThatThrownBy(() -> ConversationFocus.select(List.of(), 0.3, 2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least one turn");
    }
}

package dev.coe.classifier.embedding;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class InstructionSentenceTest {

    private static final int BUDGET = 96;

    @Test
    void should_be_empty_when_the_prompt_is_one_sentence() {
        assertThat(InstructionSentence.of("  Write a limerick about a cat who hates Mondays.  ", BUDGET)).isEmpty();
    }

    @Test
    void should_take_the_first_sentence_when_the_prompt_has_several() {
        String prompt = "Act as a pharmacist behind the counter. A customer asks whether ibuprofen and paracetamol "
                + "can be taken together. Answer her.";

        assertThat(InstructionSentence.of(prompt, BUDGET)).contains("Act as a pharmacist behind the counter.");
    }

    @Test
    void should_skip_greetings_and_headings_when_they_have_fewer_than_three_words() {
        assertThat(InstructionSentence.of("Hi there! Can you write a poem about autumn leaves? Make it rhyme.", BUDGET))
                .contains("Can you write a poem about autumn leaves?");
        assertThat(InstructionSentence.of("Task\nTranslate the notes below into French. Keep the bullet points.\n- one",
                BUDGET)).contains("Translate the notes below into French.");
    }

    @Test
    void should_not_run_a_line_without_a_full_stop_into_the_next_line() {
        String prompt = "I want you to act as a Linux terminal\nI will type commands and you will reply with the output.";

        assertThat(InstructionSentence.of(prompt, BUDGET)).contains("I want you to act as a Linux terminal");
    }

    @Test
    void should_cut_a_run_on_sentence_to_sixty_words_and_the_token_budget_when_it_is_long() {
        String runOn = "please " + "explain this part and ".repeat(80) + "then stop. Thanks.";
        String longWords = "Decode " + "aGVsbG8gd29ybGQgdGhpcyBpcyBiYXNlNjQ= ".repeat(40) + "please. Thanks.";

        String cut = InstructionSentence.of(runOn, BUDGET).orElseThrow();
        String cutLongWords = InstructionSentence.of(longWords, BUDGET).orElseThrow();

        assertThat(cut.split("\\s+")).hasSizeLessThanOrEqualTo(InstructionSentence.MAX_WORDS);
        assertThat(runOn).startsWith(cut);
        assertThat(TextWindow.estimateTokens(cutLongWords)).isLessThanOrEqualTo(BUDGET);
        assertThat(cutLongWords).startsWith("Decode ");
    }

    @Test
    void should_fall_back_to_the_first_sentence_when_no_sentence_has_three_words() {
        assertThat(InstructionSentence.of("你好。请把下面的句子翻译成英文。谢谢！", BUDGET)).contains("你好。");
        assertThat(InstructionSentence.of("Hello. Thanks!", BUDGET)).contains("Hello.");
    }
}

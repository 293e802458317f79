package dev.coe.classifier.embedding;

import dev.coe.classifier.Turn;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The embedding the logistic head sees, with the bag-of-words test model, so each half can be checked exactly. */
class ConversationEmbedderTest {

    private final HashingEmbeddingModel model = new HashingEmbeddingModel();
    private final ConversationEmbedder embedder = new ConversationEmbedder(model, EmbeddingClassifierConfig.ofDefaults());

    @Test
    void should_reuse_the_prompt_vector_as_its_instruction_when_the_prompt_is_one_sentence() {
        float[] joined = embedder.embedWithInstruction(List.of(Turn.user("Write a haiku about the sea.")));

        assertThat(model.segmentsEmbedded.get()).isEqualTo(1);
        assertThat(secondHalf(joined)).containsExactly(firstHalf(joined));
    }

    @Test
    void should_embed_the_first_sentence_on_its_own_when_the_prompt_has_several() {
        String prompt = "Act as a pharmacist. Ibuprofen paracetamol dosage interactions for adults?";

        float[] joined = embedder.embedWithInstruction(List.of(Turn.user(prompt)));

        assertThat(model.segmentsEmbedded.get()).isEqualTo(2);
        assertThat(firstHalf(joined)).containsExactly(embedder.embedTexts(List.of(prompt))[0]);
        assertThat(secondHalf(joined)).containsExactly(embedder.embedTexts(List.of("Act as a pharmacist."))[0]);
    }

    @Test
    void should_mix_the_turns_instructions_like_the_turns_when_the_conversation_has_several() {
        String first = "Write a poem about rivers. Use four stanzas.";
        String latest = "Now make it shorter. Two stanzas only.";
        List<Turn> conversation = List.of(Turn.user(first), new Turn(Turn.Role.ASSISTANT, "The river bends..."), Turn.user(latest));

        float[] joined = embedder.embedWithInstruction(conversation);

        float[][] instructions = embedder.embedTexts(List.of("Now make it shorter.", "Write a poem about rivers."));
        float[] expected = Vectors.weightedUnitSum(Arrays.asList(instructions),
                new double[] {1.0, EmbeddingClassifierConfig.DEFAULT_PREVIOUS_TURN_WEIGHT});
        assertThat(firstHalf(joined)).containsExactly(embedder.embed(conversation));
        assertThat(secondHalf(joined)).containsExactly(expected);
    }

    @Test
    void should_take_the_request_paragraph_as_the_instruction_when_a_long_text_is_pasted_before_it() {
        String request = "Rewrite the passage above as a short poem for children.";
        String prompt = "The mill stood by the river for two hundred years. ".repeat(60) + "\n\n" + request;

        float[] joined = embedder.embedWithInstruction(List.of(Turn.user(prompt)));

        assertThat(secondHalf(joined)).containsExactly(embedder.embedTexts(List.of(request))[0]);
        assertThat(model.segmentsEmbedded.get()).as("head, tail and the paragraph, which is embedded once, then the"
                + " paragraph alone").isEqualTo(3 + 1);
    }

    @Test
    void should_give_each_text_what_a_one_turn_conversation_gets_when_texts_are_embedded_for_training() {
        List<String> texts = List.of("Solve 2x + 3 = 7.", "Hi! Act as a tour guide in Rome. I am a tourist.",
                "Summarise this. " + "Words of a long pasted report go here. ".repeat(50) + "\n\nList the three main risks in it.");

        float[][] batch = embedder.embedTextsWithInstruction(texts);

        for (int t = 0; t < texts.size(); t++) {
            assertThat(batch[t]).as(texts.get(t)).containsExactly(embedder.embedWithInstruction(List.of(Turn.user(texts.get(t)))));
            assertThat(Vectors.dot(secondHalf(batch[t]), secondHalf(batch[t]))).isCloseTo(1.0, within(1e-5));
        }
    }

    private static float[] firstHalf(float[] joined) {
        return Arrays.copyOf(joined, joined.length / 2);
    }

    private static float[] secondHalf(float[] joined) {
        return Arrays.copyOfRange(joined, joined.length / 2, joined.length);
    }
}

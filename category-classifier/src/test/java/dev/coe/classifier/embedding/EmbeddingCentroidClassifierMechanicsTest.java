package dev.coe.classifier.embedding;

import dev.coe.classifier.Category;
import dev.coe.classifier.Classification;
import dev.coe.classifier.Taxonomy;
import dev.coe.classifier.Turn;
import dev.coe.classifier.training.LabelledExample;
import dev.coe.classifier.training.TrainingData;
import org.junit.jupiter.api.Test;

import java.util.Comparator;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * The classifier's mechanics (prototypes, softmax, ordering, input handling) with a bag-of-words
 * test embedding, independent of the ONNX model.
 */
class EmbeddingCentroidClassifierMechanicsTest {

    private static final Taxonomy TAXONOMY = Taxonomy.of(List.of(
            new Category("cooking", "Food."), new Category("gardening", "Plants."), new Category("sailing", "Boats.")));

    private static final TrainingData DATA = TrainingData.of(TAXONOMY, List.of(
            example("bake bread with flour and yeast", "cooking"),
            example("roast the chicken in the oven", "cooking"),
            example("prune roses and water the tomatoes", "gardening"),
            example("plant tulip bulbs in autumn soil", "gardening"),
            example("trim the sails and tack upwind", "sailing"),
            example("anchor the boat in the harbour", "sailing")));

    @Test
    void should_embed_every_example_once_when_constructed() {
        // given
        HashingEmbeddingModel model = new HashingEmbeddingModel();

        // when
        EmbeddingCentroidClassifier classifier = EmbeddingCentroidClassifier.of(model, DATA);

        // then
        assertThat(model.segmentsEmbedded).hasValue(6);
        assertThat(classifier.categories()).isEqualTo(TAXONOMY.categories());
        assertThat(classifier.name()).isEqualTo("embedding-centroid");
    }

    @Test
    void should_return_every_category_most_likely_first_with_probabilities_summing_to_one_when_classifying() {
        // given
        EmbeddingCentroidClassifier classifier = EmbeddingCentroidClassifier.of(new HashingEmbeddingModel(), DATA);

        // when
        Classification result = classifier.classify(List.of(Turn.user("how long should I bake bread in the oven")));

        // then
        assertThat(result.category()).isEqualTo("cooking");
        assertThat(result.distribution()).containsOnlyKeys("cooking", "gardening", "sailing");
        assertThat(result.distribution().keySet()).first().isEqualTo("cooking");
        assertThat(List.copyOf(result.distribution().values())).isSortedAccordingTo(Comparator.reverseOrder());
        assertThat(result.distribution().values().stream().mapToDouble(Double::doubleValue).sum())
                .isCloseTo(1.0, within(1e-9));
        assertThat(result.confidence()).isEqualTo(result.distribution().get("cooking"));
    }

    @Test
    void should_spread_probability_more_evenly_when_the_temperature_is_higher() {
        // given
        List<Turn> prompt = List.of(Turn.user("water the roses"));
        EmbeddingClassifierConfig sharp = EmbeddingClassifierConfig.builder().temperature(0.01).build();
        EmbeddingClassifierConfig flat = EmbeddingClassifierConfig.builder().temperature(1.0).build();

        // when
        double sharpConfidence = classifier(sharp).classify(prompt).confidence();
        double flatConfidence = classifier(flat).classify(prompt).confidence();

        // then
        assertThat(sharpConfidence).isGreaterThan(0.99);
        assertThat(flatConfidence).isBetween(1.0 / 3, 0.6);
    }

    @Test
    void should_score_against_the_nearest_examples_when_the_prototype_is_nearest_mean() {
        // given
        EmbeddingClassifierConfig config = EmbeddingClassifierConfig.builder()
                .prototype(PrototypeStrategy.NEAREST_MEAN).nearestNeighbours(1).build();
        EmbeddingCentroidClassifier classifier = classifier(config);

        // when
        double[] similarities = classifier.similarities(List.of(Turn.user("anchor the boat in the harbour")));

        // then
        assertThat(similarities[2]).isCloseTo(1.0, within(1e-6));
        assertThat(classifier.classify(List.of(Turn.user("anchor the boat"))).category()).isEqualTo("sailing");
    }

    @Test
    void should_let_the_latest_user_turn_decide_when_earlier_turns_are_about_something_else() {
        // given
        EmbeddingCentroidClassifier classifier = EmbeddingCentroidClassifier.of(new HashingEmbeddingModel(), DATA);
        List<Turn> conversation = List.of(Turn.user("bake bread with flour and yeast"),
                new Turn(Turn.Role.ASSISTANT, "bake bread with flour and yeast, roast the chicken"),
                Turn.user("now: how do I trim the sails and tack upwind"));

        // when
        Classification result = classifier.classify(conversation);

        // then
        assertThat(result.category()).isEqualTo("sailing");
    }

    @Test
    void should_throw_illegal_argument_when_the_conversation_has_no_text() {
        // given
        EmbeddingCentroidClassifier classifier = EmbeddingCentroidClassifier.of(new HashingEmbeddingModel(), DATA);

        // when / then
        assertThatThrownBy(() -> classifier.classify(List.of(Turn.user("   "))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> classifier.classify(List.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void should_reject_training_data_when_a_category_has_no_examples() {
        // given
        TrainingData noSailing = DATA.filter(e -> !e.category().equals("sailing"));

        // when / then
        assertThatThrownBy(() -> EmbeddingCentroidClassifier.of(new HashingEmbeddingModel(), noSailing))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("every category needs at least one training example, but [sailing] have none");
    }

    private static EmbeddingCentroidClassifier classifier(EmbeddingClassifierConfig config) {
        return EmbeddingCentroidClassifier.of(new HashingEmbeddingModel(), DATA, config);
    }

    private static LabelledExample example(String text, String category) {
        return new LabelledExample(text, category, "handwritten");
    }
}

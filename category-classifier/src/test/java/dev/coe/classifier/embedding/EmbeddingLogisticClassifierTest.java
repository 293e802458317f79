package dev.coe.classifier.embedding;

import dev.coe.classifier.Classification;
import dev.coe.classifier.ClassifierConfigException;
import dev.coe.classifier.Taxonomy;
import dev.coe.classifier.TestPaths;
import dev.coe.classifier.Turn;
import dev.coe.classifier.Turn.Role;
import dev.coe.classifier.training.ClassifierArtifact;
import dev.coe.classifier.training.TrainingData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * The trained classifier as the router builds it ({@link EmbeddingLogisticClassifier#fromConfig}),
 * with the real bge-small model. The prompts here are written for this test and are not in
 * {@code config/classifier/examples.jsonl}.
 */
class EmbeddingLogisticClassifierTest {

    private static final Path CONFIG = TestPaths.configDir();

    private static EmbeddingLogisticClassifier classifier;

    /**
     * Long prompts ({@link LongPrompts}) the router's classifier must get right: it got 17 of 19 with
     * the default 96-token pieces (16 with 256-token pieces) when this was set.
     */
    private static final int LONG_PROMPTS_FLOOR = 16;

    @BeforeAll
    static void buildClassifierOnce() {
        long start = System.nanoTime();
        classifier = EmbeddingLogisticClassifier.fromConfig(CONFIG);
        System.out.printf("[logistic] fromConfig %s took %d ms%n", classifier.version(),
                (System.nanoTime() - start) / 1_000_000);
    }

    @Test
    void should_have_a_committed_model_file_trained_on_the_current_examples_when_one_is_in_config() {
        // given
        Path file = CONFIG.resolve(EmbeddingLogisticClassifier.MODEL_FILE);
        Taxonomy taxonomy = Taxonomy.load(CONFIG.resolve("categories.yaml"));
        TrainingData data = TrainingData.load(CONFIG.resolve("classifier/examples.jsonl"), taxonomy);

        // when
        ClassifierArtifact artifact = ClassifierArtifact.read(file);

        // then: otherwise the router retrains at every start; refresh it with 'ClassifierCli train'
        assertThat(artifact.trainingDataHash()).as("model.json is out of date with examples.jsonl; run"
                + " ClassifierCli train --data config/classifier/examples.jsonl --out config/classifier/model.json")
                .isEqualTo(data.contentHash());
        assertThat(artifact.taxonomy()).isEqualTo(taxonomy.ids());
        assertThat(classifier.version()).isEqualTo(artifact.version());
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "Draft a two-line toast for my parents' 40th anniversary.",
            "Pretend you are a medieval blacksmith and tell me about your day.",
            "What is the integral of x * e^x?",
            "Write a Kotlin extension function that capitalises every word of a string.",
    })
    void should_give_a_distribution_over_all_categories_summing_to_one_when_classifying(String prompt) {
        // when
        Classification result = classifier.classify(List.of(Turn.user(prompt)));

        // then
        assertValidDistribution(result);
    }

    @Test
    void should_be_uncertain_only_below_the_threshold_when_the_confidence_is_compared() {
        // given
        Classification clear = classifier.classify(List.of(Turn.user("Solve the equation 4x - 9 = 3x + 2 for x.")));
        Classification vague = classifier.classify(List.of(Turn.user("hmm, ok, what about the other one?")));

        // then
        assertThat(clear.category()).isEqualTo("math");
        assertThat(clear.isUncertain(0.7)).as("confidence %s", clear.confidence()).isFalse();
        assertThat(vague.confidence()).isLessThan(clear.confidence());
        assertThat(vague.isUncertain(vague.confidence())).isFalse();
        assertThat(vague.isUncertain(Math.nextUp(vague.confidence()))).isTrue();
        assertThatThrownBy(() -> clear.isUncertain(1.5)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void should_follow_the_latest_turn_or_keep_the_topic_when_the_conversation_has_several_turns() {
        // given
        Turn poem = Turn.user("Write a sonnet about the sea at night.");
        Turn answer = new Turn(Role.ASSISTANT, "Beneath the moon the restless waters sigh ...");

        // when
        Classification newRequest = classifier.classify(List.of(poem, answer, Turn.user("Now find the roots of x^2 - 7x + 10.")));
        Classification followUp = classifier.classify(List.of(poem, answer, Turn.user("Make it rhyme more, and shorter.")));

        // then
        assertThat(newRequest.category()).as("%s", newRequest.distribution()).isEqualTo("math");
        assertThat(followUp.category()).as("%s", followUp.distribution()).isEqualTo("writing");
    }

    @Test
    void should_classify_by_the_instruction_when_the_prompt_has_twenty_thousand_characters() {
        // given
        String material = "The quarterly meeting covered the budget, hiring plans and the office move. ".repeat(300);
        String prompt = "Extract every date and amount from the minutes below as a JSON list.\n\n" + material;
        prompt = prompt.substring(0, 20_000);

        // when
        long start = System.nanoTime();
        Classification result = classifier.classify(List.of(Turn.user(prompt)));

        // then
        System.out.printf("[logistic] %d-char prompt -> %s %.2f in %d ms%n", prompt.length(), result.category(),
                result.confidence(), (System.nanoTime() - start) / 1_000_000);
        assertThat(prompt).hasSize(20_000);
        assertValidDistribution(result);
        assertThat(result.category()).as("%s", result.distribution()).isEqualTo("extraction");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "  \n\t  ", "\u200B"})
    void should_throw_a_clear_illegal_argument_when_the_prompt_is_empty_or_whitespace(String prompt) {
        assertThatThrownBy(() -> classifier.classify(List.of(Turn.user(prompt))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no text to classify");
        assertThatThrownBy(() -> classifier.classify(List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least one turn");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "¿Puedes escribir un poema corto sobre el mar?        | false",
            "Berechne die Ableitung von sin(x) * x^2.             | false",
            "日本の江戸時代の鎖国政策について説明してください。       | true",
            "Объясни, как работает фотосинтез.                    | true",
            "🤖💬❓                                                | false",
    })
    void should_classify_without_error_and_mark_foreign_scripts_when_the_prompt_is_not_english(String prompt,
                                                                                           boolean foreign) {
        // when
        Classification result = classifier.classify(List.of(Turn.user(prompt)));

        // then
        System.out.printf("[logistic] %s -> %s %.2f%s%n", prompt, result.category(), result.confidence(),
                result.foreignScript() ? " (foreign script)" : "");
        assertValidDistribution(result);
        assertThat(result.foreignScript()).isEqualTo(foreign);
        assertThat(result.isUncertain(0.3)).isEqualTo(foreign || result.confidence() < 0.3);
    }

    @Test
    void should_route_to_a_new_category_without_code_changes_when_retrained_with_its_examples(@TempDir Path dir)
            throws IOException {
        // given: a config with a 'cooking' category and examples for it (a subset of the rest, to keep it fast)
        Files.createDirectories(dir.resolve("classifier"));
        Files.writeString(dir.resolve("categories.yaml"), Files.readString(CONFIG.resolve("categories.yaml"))
                + "  - id: cooking\n    description: Recipes, cooking techniques and kitchen questions.\n");
        Map<String, Integer> kept = new HashMap<>();
        List<String> lines = Files.readAllLines(CONFIG.resolve("classifier/examples.jsonl")).stream()
                .filter(line -> !line.isBlank())
                .filter(line -> kept.merge(line.replaceAll(".*\"category\": \"([a-z]+)\".*", "$1"), 1, Integer::sum) <= 12)
                .collect(Collectors.toList());
        for (String recipe : List.of("How long should I boil an egg for a runny yolk?",
                "Give me a recipe for a quick vegetarian lasagne.", "How do I stop my risotto from going gluey?",
                "What can I use instead of buttermilk in pancakes?", "How do I sear a steak properly in a cast-iron pan?",
                "My bread dough didn't rise. What did I do wrong?", "What's the best way to caramelise onions?",
                "How much rice and water do I need for four people?", "Suggest a dinner menu with a starter, main and dessert for six.",
                "How do I make a smooth béchamel sauce without lumps?")) {
            lines.add("{\"text\": \"" + recipe + "\", \"category\": \"cooking\", \"source\": \"handwritten\"}");
        }
        Files.write(dir.resolve("classifier/examples.jsonl"), lines);
        Files.copy(CONFIG.resolve(EmbeddingLogisticClassifier.MODEL_FILE), dir.resolve(EmbeddingLogisticClassifier.MODEL_FILE));

        // when: the copied model.json is out of date, so fromConfig retrains
        EmbeddingLogisticClassifier retrained = EmbeddingLogisticClassifier.fromConfig(dir);
        Classification result = retrained.classify(List.of(Turn.user("How do I poach salmon so it stays moist?")));

        // then
        assertThat(retrained.taxonomy().ids()).endsWith("cooking");
        assertThat(retrained.version()).isNotEqualTo(classifier.version());
        assertThat(result.category()).as("%s", result.distribution()).isEqualTo("cooking");
        assertThat(result.distribution()).hasSize(9);
    }

    @Test
    void should_retrain_instead_of_failing_when_the_model_file_is_of_an_older_format(@TempDir Path dir)
            throws IOException {
        // given: a small config whose model.json is a format-1 file (weights over the conversation embedding only)
        Files.createDirectories(dir.resolve("classifier"));
        Files.copy(CONFIG.resolve("categories.yaml"), dir.resolve("categories.yaml"));
        Map<String, Integer> kept = new HashMap<>();
        Files.write(dir.resolve("classifier/examples.jsonl"), Files.readAllLines(CONFIG.resolve("classifier/examples.jsonl"))
                .stream().filter(line -> !line.isBlank())
                .filter(line -> kept.merge(line.replaceAll(".*\"category\": \"([a-z]+)\".*", "$1"), 1, Integer::sum) <= 8)
                .toList());
        ClassifierArtifact current = classifier.artifact();
        float[][] conversationOnly = java.util.Arrays.stream(current.weights())
                .map(row -> java.util.Arrays.copyOf(row, row.length / 2)).toArray(float[][]::new);
        new ClassifierArtifact(1, current.classifier(), current.taxonomy(), current.embeddingModel(), conversationOnly,
                current.bias(), current.temperature(), current.l2(), current.trainingDataHash(), current.examples(),
                current.createdAt(), current.metrics()).write(dir.resolve(EmbeddingLogisticClassifier.MODEL_FILE));

        // when
        EmbeddingLogisticClassifier retrained = EmbeddingLogisticClassifier.fromConfig(dir);

        // then
        assertThat(retrained.version()).startsWith("embedding-logistic/v" + ClassifierArtifact.FORMAT_VERSION + "+");
        assertThat(retrained.artifact().examples()).isEqualTo(8 * 8);
        assertValidDistribution(retrained.classify(List.of(Turn.user("Solve 3x - 4 = 11 for x. Show the steps."))));
        assertThatThrownBy(() -> ClassifierArtifact.read(dir.resolve(EmbeddingLogisticClassifier.MODEL_FILE)))
                .isInstanceOf(ClassifierConfigException.class).hasMessageContaining("formatVersion must be 2, but was 1");
    }

    @Test
    void should_throw_config_exception_when_the_weights_do_not_cover_the_conversation_and_instruction_embeddings(
            @TempDir Path dir) throws IOException {
        // given: a current-format file whose rows are one embedding wide
        ClassifierArtifact current = classifier.artifact();
        Path file = dir.resolve("model.json");
        new ClassifierArtifact(current.formatVersion(), current.classifier(), current.taxonomy(), current.embeddingModel(),
                java.util.Arrays.stream(current.weights()).map(row -> java.util.Arrays.copyOf(row, 384)).toArray(float[][]::new),
                current.bias(), current.temperature(), current.l2(), current.trainingDataHash(), current.examples(),
                current.createdAt(), current.metrics()).write(file);

        // when / then
        assertThatThrownBy(() -> EmbeddingLogisticClassifier.load(file, classifier.taxonomy(),
                EmbeddingCentroidClassifier.defaultEmbeddingModel(), EmbeddingLogisticClassifier.DEFAULT_EMBEDDING_MODEL_ID))
                .isInstanceOf(ClassifierConfigException.class).hasMessageContaining("384 weights per category")
                .hasMessageContaining("needs 768");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "Pretend to be a pharmacist at a busy chemist's. I'm a customer asking if I can take ibuprofen with my blood pressure tablets.",
            "You are a grumpy Victorian lighthouse keeper. I'm a journalist who has rowed out to ask about the shipwreck last winter.",
            "Be my Spanish conversation partner at a tapas bar in Seville. Only speak Spanish and correct my mistakes gently."})
    void should_classify_as_roleplay_when_a_persona_is_set_up_before_a_topical_question(String prompt) {
        Classification result = classifier.classify(List.of(Turn.user(prompt)));

        assertThat(result.category()).as("%s", result.distribution()).isEqualTo("roleplay");
    }

    @Test
    void should_throw_config_exception_naming_both_taxonomies_when_the_model_file_was_trained_for_other_categories(
            @TempDir Path dir) throws IOException {
        // given
        Path file = dir.resolve("model.json");
        classifier.artifact().write(file);
        Taxonomy other = Taxonomy.of(List.of(new dev.coe.classifier.Category("a", "A"), new dev.coe.classifier.Category("b", "B")));

        // when / then
        assertThatThrownBy(() -> EmbeddingLogisticClassifier.load(file, other,
                EmbeddingCentroidClassifier.defaultEmbeddingModel(), EmbeddingLogisticClassifier.DEFAULT_EMBEDDING_MODEL_ID))
                .isInstanceOf(ClassifierConfigException.class)
                .hasMessageContaining("trained for categories [writing").hasMessageContaining("[a, b]");
        assertThatThrownBy(() -> EmbeddingLogisticClassifier.load(file, classifier.taxonomy(),
                EmbeddingCentroidClassifier.defaultEmbeddingModel(), "all-minilm-l6-v2"))
                .isInstanceOf(ClassifierConfigException.class).hasMessageContaining("all-minilm-l6-v2");
    }

    @Test
    void should_follow_the_instruction_of_most_long_prompts_when_only_short_pieces_are_embedded() {
        // given
        List<List<String>> cases = LongPrompts.cases();

        // when
        int right = 0;
        for (List<String> c : cases) {
            Classification result = classifier.classify(List.of(Turn.user(c.get(1))));
            assertValidDistribution(result);
            right += result.category().equals(c.get(0)) ? 1 : 0;
            String prompt = c.get(1).replace('\n', ' ');
            System.out.printf("[long-logistic] expected %-10s got %-10s %.2f | %s ... %s%n", c.get(0),
                    result.category(), result.confidence(), prompt.substring(0, 30), prompt.substring(prompt.length() - 40));
        }

        // then
        System.out.printf("[long-logistic] %d of %d long prompts right%n", right, cases.size());
        assertThat(right).isGreaterThanOrEqualTo(LONG_PROMPTS_FLOOR);
    }

    private static void assertValidDistribution(Classification result) {
        assertThat(result.distribution().keySet()).containsExactlyInAnyOrderElementsOf(classifier.taxonomy().ids());
        assertThat(List.copyOf(result.distribution().values())).isSortedAccordingTo(Comparator.reverseOrder());
        assertThat(result.distribution().values().stream().mapToDouble(Double::doubleValue).sum())
                .isCloseTo(1.0, within(1e-9));
        assertThat(result.confidence()).isEqualTo(result.distribution().get(result.category()));
    }
}

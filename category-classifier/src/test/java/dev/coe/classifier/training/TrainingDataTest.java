package dev.coe.classifier.training;

import dev.coe.classifier.Category;
import dev.coe.classifier.ClassifierConfigException;
import dev.coe.classifier.Taxonomy;
import dev.coe.classifier.TestPaths;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TrainingDataTest {

    private static final Taxonomy TAXONOMY = Taxonomy.of(List.of(
            new Category("math", "Numbers."), new Category("coding", "Code.")));

    @TempDir
    Path dir;

    @Test
    void should_load_at_least_25_handwritten_examples_per_category_when_reading_the_project_config() {
        // given
        Path config = TestPaths.configDir();
        Taxonomy taxonomy = Taxonomy.load(config.resolve("categories.yaml"));

        // when
        TrainingData data = TrainingData.load(config.resolve("classifier/examples.jsonl"), taxonomy);

        // then
        Map<String, Integer> handwritten = data.filter(LabelledExample::isHandwritten).countsByCategory();
        assertThat(handwritten.keySet()).containsExactlyElementsOf(taxonomy.ids());
        assertThat(handwritten.values()).allSatisfy(count -> assertThat(count).isGreaterThanOrEqualTo(25));
        assertThat(data.examples()).extracting(LabelledExample::source)
                .allMatch(s -> s.equals("handwritten") || s.equals("gsm8k") || s.matches("mmlu_pro:\\d+"));
    }

    @Test
    void should_read_text_category_and_source_when_lines_are_valid() throws IOException {
        // given
        Path file = write("""
                {"text": "Solve x + 1 = 2.", "category": "math", "source": "handwritten"}

                {"text": "Fix my loop.", "category": "coding", "source": "handwritten", "note": "ignored"}
                """);

        // when
        TrainingData data = TrainingData.load(file, TAXONOMY);

        // then
        assertThat(data.examples()).containsExactly(
                new LabelledExample("Solve x + 1 = 2.", "math", "handwritten"),
                new LabelledExample("Fix my loop.", "coding", "handwritten"));
        assertThat(data.countsByCategory()).containsExactly(Map.entry("math", 1), Map.entry("coding", 1));
        assertThat(data.taxonomy()).isSameAs(TAXONOMY);
    }

    @Test
    void should_name_file_and_line_when_a_category_is_unknown() throws IOException {
        // given
        Path file = write("""
                {"text": "Solve x + 1 = 2.", "category": "math", "source": "handwritten"}
                {"text": "Bake bread.", "category": "cooking", "source": "handwritten"}
                """);

        // when / then
        assertThatThrownBy(() -> TrainingData.load(file, TAXONOMY))
                .isInstanceOf(ClassifierConfigException.class)
                .hasMessage(file + ":2: unknown category 'cooking'; known categories are [math, coding]")
                .satisfies(e -> assertThat(((ClassifierConfigException) e).line()).isEqualTo(2));
    }

    @Test
    void should_name_the_field_when_it_is_missing_or_blank() throws IOException {
        // given
        Path noSource = write("{\"text\": \"Solve it.\", \"category\": \"math\"}\n");
        Path blankText = Files.writeString(dir.resolve("blank.jsonl"),
                "{\"text\": \" \", \"category\": \"math\", \"source\": \"handwritten\"}\n");

        // when / then
        assertThatThrownBy(() -> TrainingData.load(noSource, TAXONOMY))
                .hasMessage(noSource + ":1: field 'source' is missing");
        assertThatThrownBy(() -> TrainingData.load(blankText, TAXONOMY))
                .hasMessageStartingWith(blankText + ":1: field 'text' must be a non-blank string");
    }

    @Test
    void should_name_the_line_when_json_is_malformed() throws IOException {
        // given
        Path file = write("""
                {"text": "Solve x + 1 = 2.", "category": "math", "source": "handwritten"}
                {"text": "oops", "category": "math",
                """);

        // when / then
        assertThatThrownBy(() -> TrainingData.load(file, TAXONOMY))
                .isInstanceOf(ClassifierConfigException.class)
                .hasMessageStartingWith(file + ":2: not valid JSON");
    }

    @Test
    void should_reject_a_text_when_it_repeats_an_earlier_line() throws IOException {
        // given
        Path file = write("""
                {"text": "Solve x + 1 = 2.", "category": "math", "source": "handwritten"}
                {"text": "Solve x + 1 = 2.", "category": "coding", "source": "handwritten"}
                """);

        // when / then
        assertThatThrownBy(() -> TrainingData.load(file, TAXONOMY))
                .hasMessage(file + ":2: text repeats the example on line 1");
    }

    @Test
    void should_reject_the_file_when_it_has_no_examples() throws IOException {
        // given
        Path file = write("\n\n");

        // when / then
        assertThatThrownBy(() -> TrainingData.load(file, TAXONOMY)).hasMessage(file + ": file has no examples");
    }

    @Test
    void should_reject_an_example_when_built_in_code_with_an_unknown_category() {
        // given
        List<LabelledExample> examples = List.of(new LabelledExample("Bake bread.", "cooking", "handwritten"));

        // when / then
        assertThatThrownBy(() -> TrainingData.of(TAXONOMY, examples))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown category 'cooking'");
    }

    private Path write(String jsonl) throws IOException {
        return Files.writeString(dir.resolve("examples.jsonl"), jsonl);
    }
}

package dev.coe.classifier.evaluation;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.coe.classifier.Category;
import dev.coe.classifier.Taxonomy;
import dev.coe.classifier.TestPaths;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The committed arena_bench_v1 labels ({@code src/test/resources/arena_bench_v1-labels.csv}) label
 * every shared arena prompt exactly once, with the taxonomy's categories, and hold no prompt text.
 * Fails (never skips) when the shared data is missing, as {@code TrainingDataHygieneTest} does.
 */
class ArenaLabelsTest {

    private static final Path LABELS = TestPaths.moduleDir().resolve("src/test/resources/arena_bench_v1-labels.csv");

    @Test
    void should_label_every_arena_prompt_once_when_joined_with_the_shared_questions() throws IOException {
        // given
        Path questions = TestPaths.sharedDataDir().resolve("arena_bench_v1/question.jsonl");
        if (!Files.isRegularFile(questions)) {
            fail("Shared arena_bench_v1 questions not found at " + questions);
        }
        List<String> ids = new ArrayList<>();
        ObjectMapper json = new ObjectMapper();
        for (String line : Files.readAllLines(questions, StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
                ids.add(json.readTree(line).get("question_id").asText());
            }
        }
        List<String> categories = Taxonomy.load(TestPaths.configDir().resolve("categories.yaml")).categories()
                .stream().map(Category::id).toList();

        // when
        Map<String, LabelFile.Label> labels = LabelFile.load(LABELS, categories);

        // then
        assertThat(ids).hasSize(300);
        assertThat(labels.keySet()).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(labels.values().stream().filter(LabelFile.Label::isNone).count())
                .as("prompts that fit no category").isLessThan(30);
    }

    @Test
    void should_hold_only_ids_and_category_names_when_the_label_file_is_read_as_text() throws IOException {
        // when
        List<String> dataLines = Files.readAllLines(LABELS, StandardCharsets.UTF_8).stream()
                .filter(l -> !l.isBlank() && !l.startsWith("#") && !l.startsWith("question_id,")).toList();

        // then: no prompt text is copied into the repository
        assertThat(dataLines).hasSize(300).allMatch(l -> l.matches("[0-9a-f]{32},[a-z]+,[a-z]*"));
    }
}

package dev.coe.classifier.training;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coe.classifier.Taxonomy;
import dev.coe.classifier.TestPaths;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Guards the rule of {@code shared/data/README.md}: no evaluation prompt may reach the classifier's
 * training data. Fails (never skips) when the shared data is missing, because then the guarantee
 * cannot be checked; the data is always present on dev and CI machines.
 * <p>
 * Texts are compared after Unicode (NFKC) normalisation, lower-casing and collapsing whitespace. An
 * example fails if it equals or contains an evaluation text. Some MMLU-Pro questions are short
 * phrases ("Business cycles", "Define poverty."); if a new example trips on one by coincidence,
 * reword the example rather than weakening this check.
 */
class TrainingDataHygieneTest {


    private static Path data;
    private static List<LabelledExample> examples;

    @BeforeAll
    static void loadTrainingData() {
        data = TestPaths.sharedDataDir();
        if (!Files.isDirectory(data)) {
            fail("Shared benchmark data not found at " + data + ". It is needed to check that no evaluation"
                    + " prompt is in the training data. Set -Dcoe.shared.data=<dir> or place it at ../shared/data"
                    + " beside the project root.");
        }
        Path config = TestPaths.configDir();
        Taxonomy taxonomy = Taxonomy.load(config.resolve("categories.yaml"));
        examples = TrainingData.load(config.resolve("classifier/examples.jsonl"), taxonomy).examples();
    }

    @Test
    void should_contain_no_mt_bench_question_turn_when_training_data_is_checked() throws IOException {
        // given
        List<String> evaluation = new ArrayList<>();
        for (JsonNode question : JsonLines.read(require(data.resolve("mt_bench/question.jsonl")))) {
            question.get("turns").forEach(turn -> evaluation.add(turn.asText()));
        }

        // when
        List<String> leaks = leaks(evaluation);

        // then
        assertThat(evaluation).as("MT-Bench turns read").hasSizeGreaterThanOrEqualTo(160);
        assertThat(leaks).as("training examples that equal or contain an MT-Bench turn").isEmpty();
    }

    @Test
    void should_contain_no_arena_bench_prompt_when_training_data_is_checked() throws IOException {
        // given
        List<String> evaluation = new ArrayList<>();
        for (JsonNode question : JsonLines.read(require(data.resolve("arena_bench_v1/question.jsonl")))) {
            question.get("turns").forEach(turn -> evaluation.add(turn.asText()));
        }

        // when
        List<String> leaks = leaks(evaluation);

        // then
        assertThat(evaluation).as("arena_bench_v1 prompts read").hasSizeGreaterThanOrEqualTo(300);
        assertThat(leaks).as("training examples that equal or contain an arena_bench_v1 prompt").isEmpty();
    }

    @Test
    void should_contain_no_multilingual_probe_prompt_when_training_data_is_checked() throws IOException {
        // given the non-English prompts written to measure the classifier (module README, "How it works")
        List<String> evaluation = new ArrayList<>();
        try (var in = getClass().getResourceAsStream("/multilingual/prompts.jsonl")) {
            for (String line : new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank()) {
                    evaluation.add(JsonLines.parse(line, "prompts.jsonl", 0).get("prompt").asText());
                }
            }
        }

        // when
        List<String> leaks = leaks(evaluation);

        // then
        assertThat(evaluation).as("probe prompts read").hasSize(96);
        assertThat(leaks).as("training examples that equal or contain a multilingual probe prompt").isEmpty();
    }

    @Test
    void should_contain_no_mmlu_pro_evaluation_question_when_training_data_is_checked() throws IOException {
        // given
        List<String> evaluation = new ArrayList<>();
        for (JsonNode question : JsonLines.read(require(data.resolve("mmlu_pro/questions.jsonl.gz")))) {
            if (Integer.parseInt(question.get("question_id").asText()) % 5 == 0) {
                evaluation.add(question.get("question").asText());
            }
        }

        // when
        List<String> leaks = leaks(evaluation);

        // then
        assertThat(evaluation).as("MMLU-Pro evaluation-split questions read").hasSizeGreaterThan(2_000);
        assertThat(leaks).as("training examples that equal or contain an MMLU-Pro evaluation question").isEmpty();
    }

    @Test
    void should_take_mmlu_pro_examples_only_from_the_training_split_when_source_names_a_question() {
        // given
        List<LabelledExample> fromMmlu = examples.stream().filter(e -> e.source().startsWith("mmlu_pro:")).toList();

        // when
        List<String> fromEvaluationSplit = fromMmlu.stream()
                .filter(e -> Integer.parseInt(e.source().substring("mmlu_pro:".length())) % 5 == 0)
                .map(LabelledExample::source)
                .toList();

        // then
        assertThat(fromEvaluationSplit).as("MMLU-Pro examples from the evaluation split").isEmpty();
    }

    private static List<String> leaks(List<String> evaluationTexts) {
        List<String> normalisedEvaluation = evaluationTexts.stream()
                .map(TrainingDataHygieneTest::normalise).filter(t -> !t.isEmpty()).distinct().toList();
        List<String> leaks = new ArrayList<>();
        for (LabelledExample example : examples) {
            String text = normalise(example.text());
            for (String evaluation : normalisedEvaluation) {
                if (text.contains(evaluation)) {
                    leaks.add("[" + example.source() + "] " + abbreviate(example.text())
                            + "  <->  " + abbreviate(evaluation));
                }
            }
        }
        return leaks;
    }

    static String normalise(String text) {
        return Normalizer.normalize(text, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT)
                .replaceAll("\\s+", " ").strip();
    }

    private static String abbreviate(String text) {
        String oneLine = text.replaceAll("\\s+", " ");
        return oneLine.length() <= 100 ? oneLine : oneLine.substring(0, 97) + "...";
    }

    private static Path require(Path file) {
        if (!Files.isRegularFile(file)) {
            fail("Evaluation data file missing: " + file + " (shared data at " + data + " is incomplete)");
        }
        return file;
    }
}

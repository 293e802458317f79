package dev.coe.evaluation.judge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * MT-Bench's single-answer grading prompts ({@code mt_bench/judge_prompts.jsonl}) and how one is filled in:
 * {@code single-v1} / {@code single-v1-multi-turn} in general, the reference-guided {@code single-math-v1}
 * variants for math, reasoning and coding (as FastChat does). Immutable and thread-safe.
 */
public final class JudgePrompts {

    /** The categories FastChat grades against a reference answer. */
    public static final Set<String> REFERENCE_GUIDED = Set.of("math", "reasoning", "coding");

    /** A filled-in prompt: the judge's system prompt and the user message. */
    public record Filled(String name, String system, String user) {
    }

    private record Template(String system, String template) {
    }

    private final Map<String, Template> templates;

    private JudgePrompts(Map<String, Template> templates) {
        this.templates = Map.copyOf(templates);
    }

    /** @throws IOException when the file cannot be read */
    public static JudgePrompts from(Path judgePromptsJsonl) throws IOException {
        ObjectMapper json = new ObjectMapper();
        Map<String, Template> templates = new HashMap<>();
        for (String line : Files.readAllLines(judgePromptsJsonl)) {
            if (!line.isBlank()) {
                JsonNode n = json.readTree(line);
                templates.put(n.get("name").asText(), new Template(n.get("system_prompt").asText(),
                        n.get("prompt_template").asText()));
            }
        }
        return new JudgePrompts(templates);
    }

    /**
     * The grading prompt for turn {@code turn} of a conversation.
     *
     * @param questions  the user turns, at least {@code turn} of them
     * @param answers    the answers graded, one per turn up to {@code turn}
     * @param reference  the reference answers per turn, or null; used for {@link #REFERENCE_GUIDED} categories
     * @throws IllegalArgumentException when the needed template is not in the file
     */
    public Filled fill(String category, List<String> questions, List<String> answers, List<String> reference,
                       int turn) {
        boolean guided = reference != null && category != null && REFERENCE_GUIDED.contains(category);
        String name = (guided ? "single-math-v1" : "single-v1") + (turn == 2 ? "-multi-turn" : "");
        Template t = templates.get(name);
        if (t == null) {
            throw new IllegalArgumentException("judge prompt " + name + " is not in the judge prompts file");
        }
        String user = turn == 2
                ? t.template().replace("{question_1}", questions.get(0)).replace("{answer_1}", answers.get(0))
                        .replace("{question_2}", questions.get(1)).replace("{answer_2}", answers.get(1))
                        .replace("{ref_answer_1}", guided ? reference.get(0) : "")
                        .replace("{ref_answer_2}", guided && reference.size() > 1 ? reference.get(1) : "")
                : t.template().replace("{question}", questions.get(0)).replace("{answer}", answers.get(0))
                        .replace("{ref_answer_1}", guided ? reference.get(0) : "");
        return new Filled(name, t.system(), user);
    }
}

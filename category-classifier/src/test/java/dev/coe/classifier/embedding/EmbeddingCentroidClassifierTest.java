package dev.coe.classifier.embedding;

import dev.coe.classifier.Classification;
import dev.coe.classifier.TestPaths;
import dev.coe.classifier.Turn;
import dev.coe.classifier.Turn.Role;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * The classifier as the router builds it: bge-small-en-v1.5 and the project's config. The prompts
 * here are written for this test and are not in {@code config/classifier/examples.jsonl}.
 */
class EmbeddingCentroidClassifierTest {

    private static final String POEM = "Crimson and amber, the maples let go, / drifting like embers to gardens below.";

    private static EmbeddingCentroidClassifier classifier;

    @BeforeAll
    static void buildClassifierOnce() {
        long start = System.nanoTime();
        classifier = EmbeddingCentroidClassifier.fromConfig(TestPaths.configDir());
        System.out.printf("[classifier] fromConfig (incl. model load if first) took %d ms%n",
                (System.nanoTime() - start) / 1_000_000);
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', textBlock = """
            writing    | Write a heartfelt retirement card message for a colleague who has worked with us for 30 years.
            writing    | Compose a short poem about coffee on a rainy Monday morning.
            writing    | Draft a friendly email inviting my neighbours to a street party next Saturday.
            roleplay   | Pretend to be a cowboy sheriff in a small Wild West town and question me about the stolen horses.
            roleplay   | I want you to act as my grandmother telling me stories about her childhood on the farm. Stay in character.
            roleplay   | You're a space pirate captain and I'm your newest recruit. Give me my first orders.
            reasoning  | All roses in this garden are red. Some red flowers wilt quickly. Does it follow that some roses in this garden wilt quickly?
            reasoning  | Jack is looking at Anne, and Anne is looking at George. Jack is married, George is not. Is a married person looking at an unmarried person?
            reasoning  | If every Glim is a Tark and no Tark is a Voss, can a Glim be a Voss? Explain the logic.
            math       | Find the derivative of ln(x^2 + 1).
            math       | What is the probability of rolling at least one six in four throws of a fair die?
            math       | Solve the quadratic equation x^2 - 5x + 6 = 0.
            coding     | Write a Python function that removes duplicates from a list while keeping the original order.
            coding     | Why does my React useEffect run twice in development mode?
            coding     | My Python script raises KeyError: 'id' when I parse the JSON response. How do I fix it?
            extraction | Extract all dates and amounts from this bank statement: '03/04 CARD PAYMENT TESCO 23.50; 05/04 TRANSFER FROM J SMITH 200.00'
            extraction | From the product review below, list the pros and cons as two JSON arrays: 'Battery life is excellent and the screen is sharp, but the speakers are tinny and it gets hot.'
            extraction | Pull the order number, delivery date and total price out of this shipping confirmation: 'Order #A-99812 will arrive on 12 March. Total charged: $84.20.'
            stem       | What is the difference between weather and climate?
            stem       | How do antibiotics kill bacteria without harming human cells?
            stem       | How does a nuclear reactor keep its chain reaction under control?
            humanities | What were the main ideas of the Enlightenment?
            humanities | Explain the significance of the Peace of Westphalia for the modern state system.
            humanities | Explain John Locke's theory of natural rights.
            """)
    void should_pick_the_category_with_an_ordered_distribution_summing_to_one_when_the_prompt_is_clear(
            String expected, String prompt) {
        // given
        List<Turn> conversation = List.of(Turn.user(prompt));

        // when
        Classification result = classifier.classify(conversation);

        // then
        assertThat(result.category()).as("distribution %s", result.distribution()).isEqualTo(expected);
        assertValidDistribution(result);
    }

    @Test
    void should_let_the_latest_user_turn_decide_when_an_earlier_turn_asked_for_something_else() {
        // given
        List<Turn> conversation = List.of(
                Turn.user("Write a poem about autumn leaves."),
                new Turn(Role.ASSISTANT, POEM),
                Turn.user("Now solve 2x + 3 = 7."));

        // when
        Classification result = classifier.classify(conversation);

        // then
        assertThat(result.category()).as("distribution %s", result.distribution()).isEqualTo("math");
    }

    @Test
    void should_keep_the_earlier_topic_when_the_latest_turn_is_a_bare_follow_up() {
        // given
        List<Turn> conversation = List.of(
                Turn.user("Write a poem about autumn leaves."),
                new Turn(Role.ASSISTANT, POEM),
                Turn.user("Make it shorter, four lines only."));

        // when
        Classification result = classifier.classify(conversation);

        // then
        assertThat(result.category()).as("distribution %s", result.distribution()).isEqualTo("writing");
    }

    @Test
    void should_ignore_the_system_prompt_when_the_user_asks_something_else() {
        // given
        List<Turn> conversation = List.of(
                new Turn(Role.SYSTEM, "You are Captain Flint, a pirate who speaks in rhyme. Never break character."),
                Turn.user("Solve the quadratic equation x^2 - 5x + 6 = 0."));

        // when
        Classification result = classifier.classify(conversation);

        // then
        assertThat(result.category()).isEqualTo("math");
    }

    @Test
    void should_classify_a_3000_word_prompt_by_its_head_and_tail_when_it_exceeds_the_model_window() {
        // given
        String prompt = "Extract the name and job title of every speaker in the meeting transcript below,"
                + " as a JSON array.\n\n"
                + LongPrompts.transcript(3_000)
                + "\n\nRemember: only names and job titles, as JSON.";
        assertThat(prompt.split("\\s+")).hasSizeGreaterThan(3_000);

        // when
        long start = System.nanoTime();
        Classification result = classifier.classify(List.of(Turn.user(prompt)));
        long millis = (System.nanoTime() - start) / 1_000_000;

        // then
        System.out.printf("[classifier] %d-char prompt -> %s %.2f in %d ms%n",
                prompt.length(), result.category(), result.confidence(), millis);
        assertValidDistribution(result);
        assertThat(result.category()).as("distribution %s", result.distribution()).isEqualTo("extraction");
    }

    @Test
    void should_follow_the_instruction_of_most_long_prompts_when_material_is_pasted_before_or_after_it() {
        // given
        List<List<String>> cases = LongPrompts.cases();

        // when
        int right = 0;
        for (List<String> c : cases) {
            Classification result = classifier.classify(List.of(Turn.user(c.get(1))));
            assertValidDistribution(result);
            right += result.category().equals(c.get(0)) ? 1 : 0;
            String prompt = c.get(1).replace('\n', ' ');
            System.out.printf("[long] expected %-10s got %-10s %.2f | %s ... %s%n", c.get(0), result.category(),
                    result.confidence(), prompt.substring(0, 30), prompt.substring(prompt.length() - 40));
        }

        // then
        System.out.printf("[long] %d of %d long prompts right%n", right, cases.size());
        // 17 of 19 with 256-token pieces on the first example set; 12 with the 96-token pieces chosen for
        // latency, while the router's logistic head keeps 17 (EmbeddingLogisticClassifierTest). The
        // centroid is the baseline, so the floor follows the measurement rather than the other way round.
        assertThat(right).isGreaterThanOrEqualTo(12);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "¿Cuáles fueron las causas principales de la Revolución Francesa?",
            "Résous l'équation 3x + 5 = 20 et explique chaque étape.",
            "Schreibe eine Python-Funktion, die prüft, ob eine Zahl eine Primzahl ist.",
            "光合作用是如何把光能转化为化学能的？",
            "Напиши короткое стихотворение о зиме.",
            "ما هي أسباب الحرب العالمية الأولى؟",
            "🙂🚀🔥",
    })
    void should_classify_without_error_when_the_prompt_is_not_english(String prompt) {
        // given
        List<Turn> conversation = List.of(Turn.user(prompt));

        // when
        Classification result = classifier.classify(conversation);

        // then
        System.out.printf("[classifier] %s -> %s %.2f%n", prompt, result.category(), result.confidence());
        assertValidDistribution(result);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "```python\nimport numpy as np\n\ndef softmax(x):\n    e = np.exp(x - x.max())\n    return e / e.sum()\n```",
            "public static int gcd(int a, int b) { return b == 0 ? a : gcd(b, a % b); }",
            "{\"id\": 7, \"tags\": [\"a\", \"b\"], \"nested\": {\"ok\": true}}",
    })
    void should_classify_without_error_when_the_prompt_is_only_code(String prompt) {
        // given
        List<Turn> conversation = List.of(Turn.user(prompt));

        // when
        Classification result = classifier.classify(conversation);

        // then
        System.out.printf("[classifier] code-only %s... -> %s %.2f%n",
                prompt.lines().findFirst().orElse(""), result.category(), result.confidence());
        assertValidDistribution(result);
    }

    @Test
    void should_throw_illegal_argument_when_the_text_is_empty() {
        // given
        List<Turn> empty = List.of(Turn.user(""));
        List<Turn> blank = List.of(new Turn(Role.SYSTEM, " "), Turn.user(" \n "));

        // when / then
        assertThatThrownBy(() -> classifier.classify(empty)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> classifier.classify(blank)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void should_give_the_same_answers_when_called_from_several_threads_at_once() throws Exception {
        // given
        List<String> prompts = List.of("Compose a short poem about coffee.", "Find the derivative of ln(x^2 + 1).",
                "Why does my React useEffect run twice?", "What were the main ideas of the Enlightenment?");
        List<Classification> sequential = prompts.stream()
                .map(p -> classifier.classify(List.of(Turn.user(p)))).toList();

        // when
        List<Future<Classification>> futures = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
            IntStream.range(0, 16).forEach(i -> futures.add(
                    pool.submit(() -> classifier.classify(List.of(Turn.user(prompts.get(i % prompts.size())))))));
        }

        // then
        for (int i = 0; i < futures.size(); i++) {
            Classification concurrent = futures.get(i).get();
            Classification expected = sequential.get(i % prompts.size());
            assertThat(concurrent.category()).isEqualTo(expected.category());
            assertThat(concurrent.confidence()).isCloseTo(expected.confidence(), within(1e-6));
        }
    }

    private static void assertValidDistribution(Classification result) {
        assertThat(result.distribution().keySet()).containsExactlyInAnyOrderElementsOf(classifier.taxonomy().ids());
        assertThat(List.copyOf(result.distribution().values())).isSortedAccordingTo(Comparator.reverseOrder());
        assertThat(result.distribution().values().stream().mapToDouble(Double::doubleValue).sum())
                .isCloseTo(1.0, within(1e-9));
        assertThat(result.distribution().keySet()).first().isEqualTo(result.category());
        assertThat(result.confidence()).isEqualTo(result.distribution().get(result.category()));
    }
}

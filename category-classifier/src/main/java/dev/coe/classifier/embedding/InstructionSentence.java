package dev.coe.classifier.embedding;

import java.text.BreakIterator;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Finds the sentence of a prompt that states its task, so that the classifier's head can weigh it
 * apart from the rest. Stateless and thread-safe.
 * <p>
 * bge-small's vector of a whole prompt follows its topic: "Act as a pharmacist. A customer asks
 * whether ibuprofen and paracetamol can be taken together..." lands beside medicine questions,
 * though its task is a role. Users mostly state the task first and the material after it, so the
 * first sentence of at least {@value #MIN_WORDS} words is taken (shorter ones are greetings and
 * headings: "Hi!", "Question:"). Sentences come from the JDK's {@link BreakIterator}, one line at
 * a time, so that a heading line without a full stop does not run into the next line. The sentence
 * is cut to {@value #MAX_WORDS} words and to the embedding budget, so that a prompt of one huge
 * run-on sentence costs no more than a second short forward pass.
 */
final class InstructionSentence {

    static final int MIN_WORDS = 3;

    static final int MAX_WORDS = 60;

    private InstructionSentence() {
    }

    /**
     * The text's instruction sentence, cut to {@code maxTokens} estimated tokens; empty when the
     * text is a single sentence that fits, that is, when the text is its own instruction.
     */
    static Optional<String> of(String text, int maxTokens) {
        String stripped = text.strip();
        String sentence = firstSentence(stripped);
        String cut = TextWindow.head(firstWords(sentence, MAX_WORDS), maxTokens);
        return cut.equals(stripped) || cut.isEmpty() ? Optional.empty() : Optional.of(cut);
    }

    /** The first sentence of at least {@value #MIN_WORDS} words, or the first sentence if none is that long. */
    static String firstSentence(String text) {
        String first = null;
        BreakIterator sentences = BreakIterator.getSentenceInstance(Locale.ROOT);
        for (String line : text.split("\\R")) {
            sentences.setText(line);
            int start = sentences.first();
            for (int end = sentences.next(); end != BreakIterator.DONE; start = end, end = sentences.next()) {
                String sentence = line.substring(start, end).strip();
                if (sentence.isEmpty()) {
                    continue;
                }
                if (words(sentence).size() >= MIN_WORDS) {
                    return sentence;
                }
                if (first == null) {
                    first = sentence;
                }
            }
        }
        return first == null ? text : first;
    }

    private static String firstWords(String sentence, int max) {
        List<String> words = words(sentence);
        return words.size() <= max ? sentence : words.stream().limit(max).collect(Collectors.joining(" "));
    }

    private static List<String> words(String text) {
        return Arrays.stream(text.strip().split("\\s+")).filter(w -> !w.isEmpty()).toList();
    }
}

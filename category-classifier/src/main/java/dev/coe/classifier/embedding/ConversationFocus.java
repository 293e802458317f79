package dev.coe.classifier.embedding;

import dev.coe.classifier.Turn;

import java.util.ArrayList;
import java.util.List;

/**
 * Picks the texts of a conversation that decide its category, with their weights. Stateless and
 * thread-safe.
 * <p>
 * The latest user turn with text has weight 1; the user turns before it add context with weights
 * {@code previousTurnWeight}, {@code previousTurnWeight^2}, ... for at most {@code maxPreviousTurns}
 * turns, so "now make it shorter" after "write a poem" stays {@code writing}, while a new request
 * ("now solve 2x+3=7") outweighs the earlier topic. System, assistant and tool turns are left out:
 * system prompts are mostly generic persona text that pulls every request toward the same point,
 * and assistant and tool turns are model output, long to embed and not what the user asked. Only a
 * conversation without any user text falls back to its latest turn with text, whatever its role.
 */
final class ConversationFocus {

    /** A text to embed and its weight in the conversation's mixed embedding. */
    record WeightedText(String text, double weight) {
    }

    private ConversationFocus() {
    }

    /**
     * @throws IllegalArgumentException if the conversation is empty or no turn has non-blank text
     */
    static List<WeightedText> select(List<Turn> conversation, double previousTurnWeight, int maxPreviousTurns) {
        if (conversation.isEmpty()) {
            throw new IllegalArgumentException("conversation must contain at least one turn");
        }
        List<WeightedText> selected = new ArrayList<>();
        double weight = 1.0;
        for (int i = conversation.size() - 1; i >= 0 && selected.size() <= maxPreviousTurns && weight > 0; i--) {
            Turn turn = conversation.get(i);
            if (turn.role() == Turn.Role.USER && hasText(turn.text())) {
                selected.add(new WeightedText(turn.text(), weight));
                weight *= previousTurnWeight;
            }
        }
        if (!selected.isEmpty()) {
            return selected;
        }
        for (int i = conversation.size() - 1; i >= 0; i--) {
            if (hasText(conversation.get(i).text())) {
                return List.of(new WeightedText(conversation.get(i).text(), 1.0));
            }
        }
        throw new IllegalArgumentException("conversation has no text to classify: all "
                + conversation.size() + " turn(s) are empty or blank");
    }

    /**
     * Whether the text has anything to embed. Zero-width and control characters do not count:
     * {@link String#isBlank()} lets "\u200B" through, and the tokenizer then finds no token at all.
     */
    static boolean hasText(String text) {
        return text.codePoints().anyMatch(c -> !Character.isWhitespace(c) && !Character.isSpaceChar(c)
                && !Character.isISOControl(c) && Character.getType(c) != Character.FORMAT);
    }
}

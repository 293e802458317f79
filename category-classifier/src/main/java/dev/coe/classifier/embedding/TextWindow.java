package dev.coe.classifier.embedding;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Decides which parts of a text are embedded, and with what weight, so that one classification
 * costs at most a few model windows however long the prompt is. Stateless and thread-safe.
 * <p>
 * A text of up to {@code 2 * chunkTokens} estimated tokens is embedded whole (the embedding model
 * averages over its 512-token windows itself). A longer text is represented by up to four pieces,
 * because the instruction of a long prompt is nearly always at one end ("Summarise the report
 * below: ..." or "... what does this code do?") while the middle is pasted material:
 * <ul>
 *   <li>its head and its tail, the first and last {@code chunkTokens} tokens cut at whitespace,
 *       weight 1 each: a sample of the material, and whatever instruction is at either end;</li>
 *   <li>its first and its last paragraph (text before the first and after the last blank line),
 *       if they fit in {@code chunkTokens} and have at least {@value #MIN_INSTRUCTION_WORDS} words,
 *       weight {@value #PARAGRAPH_WEIGHT} each. Such a paragraph is nearly always the instruction,
 *       which decides the task; the word minimum leaves out greetings and sign-offs ("Thanks!").</li>
 * </ul>
 * Taking only the head, as plain truncation does, would silently drop the question of a
 * paste-then-ask prompt; and with head and tail alone, the material outweighs the instruction:
 * 3,000 words of history followed by "Rewrite the passage above as a short poem" came out as
 * humanities with 0.99. The weight 4 and the 4-word minimum were chosen on 19 long prompts written
 * for the purpose ({@code LongPrompts} in the tests: 17 right with 256-token pieces, against 11 for head
 * and tail alone, with the centroid classifier). The pieces are now 96 tokens by default, for latency:
 * the router's logistic head gets 17 of the 19 with them. A prompt whose instruction is not set off by a blank line gets only head and tail.
 * <p>
 * Tokens are estimated without the model's tokenizer, so that any embedding model can be plugged
 * in. A run of ASCII letters and digits (a word) costs 1, plus a little per character for its first
 * {@value #COMMON_WORD_CHARS} characters and much more per character beyond (base64, hex and
 * minified identifiers break into many word pieces). Every other non-whitespace character costs 1,
 * as in CJK text, where each character is a token. Against the bge tokenizer this estimate is
 * exact for CJK, Cyrillic and Arabic text and 0.86-1.55 times the real count for the training
 * examples (mean 1.27), so chunks stay inside the model window. A budget in characters instead would
 * let 1,500 Chinese characters through as 1,500 tokens, three model windows.
 */
final class TextWindow {

    /**
     * A piece of text to embed and its weight among the pieces of the same text.
     *
     * @param instruction whether the piece is an edge paragraph taken as the text's instruction
     */
    record Chunk(String text, double weight, boolean instruction) {

        Chunk(String text, double weight) {
            this(text, weight, false);
        }
    }

    static final double PARAGRAPH_WEIGHT = 4.0;

    static final int MIN_INSTRUCTION_WORDS = 4;

    private static final Pattern BLANK_LINE = Pattern.compile("\\n[ \\t\\x0B\\f\\r]*\\n");
    private static final int COMMON_WORD_CHARS = 12;
    private static final double WORD_COST = 1.0;
    private static final double COMMON_CHAR_COST = 1.0 / 10;
    private static final double RARE_CHAR_COST = 2.0 / 3;

    private TextWindow() {
    }

    /** The pieces of {@code text} to embed and average: the whole text, or head, tail and edge paragraphs. */
    static List<Chunk> chunks(String text, int chunkTokens) {
        String stripped = text.strip();
        if (estimateTokens(stripped) <= 2.0 * chunkTokens) {
            return List.of(new Chunk(stripped, 1.0));
        }
        List<Chunk> chunks = new ArrayList<>();
        firstParagraph(stripped, chunkTokens).ifPresent(chunks::add);
        chunks.add(new Chunk(stripped.substring(0, headEnd(stripped, chunkTokens)).strip(), 1.0));
        chunks.add(new Chunk(stripped.substring(tailStart(stripped, chunkTokens)).strip(), 1.0));
        lastParagraph(stripped, chunkTokens).ifPresent(chunks::add);
        return chunks;
    }

    /** The start of {@code text} that fits in {@code budget} estimated tokens, cut at whitespace; the text if it fits. */
    static String head(String text, int budget) {
        return estimateTokens(text) <= budget ? text : text.substring(0, headEnd(text, budget)).strip();
    }

    /** Estimated number of model tokens in {@code text}. */
    static double estimateTokens(String text) {
        double tokens = 0;
        int run = 0;
        for (int i = 0; i < text.length(); ) {
            int codePoint = text.codePointAt(i);
            tokens += cost(codePoint, run);
            run = isAsciiAlphanumeric(codePoint) ? run + 1 : 0;
            i += Character.charCount(codePoint);
        }
        return tokens;
    }

    private static Optional<Chunk> firstParagraph(String text, int budget) {
        Matcher blankLine = BLANK_LINE.matcher(text);
        return blankLine.find() ? paragraph(text.substring(0, blankLine.start()), budget) : Optional.empty();
    }

    private static Optional<Chunk> lastParagraph(String text, int budget) {
        Matcher blankLine = BLANK_LINE.matcher(text);
        int lastBlankLineEnd = -1;
        while (blankLine.find()) {
            lastBlankLineEnd = blankLine.end();
        }
        return lastBlankLineEnd >= 0 ? paragraph(text.substring(lastBlankLineEnd), budget) : Optional.empty();
    }

    private static Optional<Chunk> paragraph(String paragraph, int budget) {
        String stripped = paragraph.strip();
        boolean instruction = stripped.split("\\s+").length >= MIN_INSTRUCTION_WORDS
                && estimateTokens(stripped) <= budget;
        return instruction ? Optional.of(new Chunk(stripped, PARAGRAPH_WEIGHT, true)) : Optional.empty();
    }

    /** End of the head: the last whitespace within the budget, or the budget's end if there is none nearby. */
    private static int headEnd(String text, int budget) {
        double tokens = 0;
        int lastWhitespace = -1;
        int run = 0;
        int i = 0;
        while (i < text.length()) {
            int codePoint = text.codePointAt(i);
            tokens += cost(codePoint, run);
            if (tokens > budget) {
                break;
            }
            if (Character.isWhitespace(codePoint)) {
                lastWhitespace = i;
            }
            run = isAsciiAlphanumeric(codePoint) ? run + 1 : 0;
            i += Character.charCount(codePoint);
        }
        return lastWhitespace > i / 2 ? lastWhitespace : i;
    }

    /** Start of the tail: the first whitespace within the budget from the end, or the budget's start. */
    private static int tailStart(String text, int budget) {
        double tokens = 0;
        int firstWhitespace = -1;
        int run = 0;
        int i = text.length();
        while (i > 0) {
            int codePoint = text.codePointBefore(i);
            tokens += cost(codePoint, run);
            if (tokens > budget) {
                break;
            }
            i -= Character.charCount(codePoint);
            if (Character.isWhitespace(codePoint)) {
                firstWhitespace = i;
            }
            run = isAsciiAlphanumeric(codePoint) ? run + 1 : 0;
        }
        int length = text.length() - i;
        return firstWhitespace >= 0 && firstWhitespace < i + length / 2 ? firstWhitespace : i;
    }

    /**
     * Cost of one code point, given how many ASCII letters and digits came just before it (walking
     * forward) or just after it (walking backward); a run costs the same from either end.
     */
    private static double cost(int codePoint, int run) {
        if (Character.isWhitespace(codePoint)) {
            return 0;
        }
        if (!isAsciiAlphanumeric(codePoint)) {
            return 1;
        }
        double characterCost = run < COMMON_WORD_CHARS ? COMMON_CHAR_COST : RARE_CHAR_COST;
        return run == 0 ? WORD_COST + characterCost : characterCost;
    }

    private static boolean isAsciiAlphanumeric(int codePoint) {
        return codePoint < 128 && Character.isLetterOrDigit(codePoint);
    }
}

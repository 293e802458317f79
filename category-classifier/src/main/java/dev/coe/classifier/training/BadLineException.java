package dev.coe.classifier.training;

import java.util.Objects;
import java.util.function.Supplier;

/**
 * One line of a JSON-lines input (prompts to classify, an evaluation set) is not what it should be. The message
 * starts with where the line is ({@code prompts.jsonl:12: 'prompt' must be a string, but was 5}), so a user can go
 * straight to it; {@code classify} writes the problem in that line's place and goes on with the next.
 * <p>
 * Configuration files have their own {@link dev.coe.classifier.ClassifierConfigException}. Immutable.
 */
public class BadLineException extends IllegalArgumentException {

    private final String source;
    private final int line;
    private final String problem;

    /**
     * @param source  the file, or {@code stdin}
     * @param line    the 1-based line
     * @param problem what is wrong, naming the field where there is one
     * @param cause   the underlying parse error, or {@code null}
     */
    public BadLineException(String source, int line, String problem, Throwable cause) {
        super(source + ":" + line + ": " + problem, cause);
        this.source = Objects.requireNonNull(source, "source");
        this.line = line;
        this.problem = Objects.requireNonNull(problem, "problem");
    }

    public BadLineException(String source, int line, String problem) {
        this(source, line, problem, null);
    }

    /**
     * Runs {@code step} on one line's content, turning the {@link IllegalArgumentException} by which it refuses the
     * content (a parser's, the classifier's "no text") into one that says where the line is.
     */
    public static <T> T locate(String source, int line, Supplier<T> step) {
        try {
            return step.get();
        } catch (BadLineException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new BadLineException(source, line, e.getMessage(), e);
        }
    }

    /** The file, or {@code stdin}. */
    public String source() {
        return source;
    }

    /** The 1-based line. */
    public int line() {
        return line;
    }

    /** What is wrong, without where. */
    public String problem() {
        return problem;
    }
}

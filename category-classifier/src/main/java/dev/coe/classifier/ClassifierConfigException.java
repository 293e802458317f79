package dev.coe.classifier;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A classifier configuration file (taxonomy or training examples) is missing, unreadable or
 * invalid. The message starts with the file, and with the line where one is known
 * ({@code config/classifier/examples.jsonl:12: unknown category 'codng'}), so an operator can
 * go straight to the mistake.
 * <p>
 * Immutable and thread-safe. Thrown at startup by the loaders, never on the request path.
 */
public class ClassifierConfigException extends RuntimeException {

    private final Path file;
    private final int line;

    /**
     * @param file    the file that is wrong
     * @param line    the 1-based line of the mistake, or 0 when it is not tied to one line
     * @param problem what is wrong, naming the field where there is one
     * @param cause   the underlying parse or I/O error, or {@code null}
     */
    public ClassifierConfigException(Path file, int line, String problem, Throwable cause) {
        super(format(file, line, problem), cause);
        this.file = Objects.requireNonNull(file, "file");
        this.line = Math.max(0, line);
    }

    public ClassifierConfigException(Path file, int line, String problem) {
        this(file, line, problem, null);
    }

    /** The file that is wrong, as it was given to the loader. */
    public Path file() {
        return file;
    }

    /** The 1-based line of the mistake, or 0 when the mistake is not tied to one line. */
    public int line() {
        return line;
    }

    private static String format(Path file, int line, String problem) {
        return line > 0 ? file + ":" + line + ": " + problem : file + ": " + problem;
    }
}

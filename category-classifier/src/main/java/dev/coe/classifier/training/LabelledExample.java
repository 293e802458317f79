package dev.coe.classifier.training;

import java.util.Objects;

/**
 * One training prompt with the category it belongs to and where it came from.
 * Immutable and thread-safe.
 *
 * @param text     the prompt as a user would send it
 * @param category id of the taxonomy category it belongs to
 * @param source   provenance: {@code handwritten}, {@code gsm8k}, or {@code mmlu_pro:<question_id>};
 *                 see {@code config/classifier/README.md}
 */
public record LabelledExample(String text, String category, String source) {

    /** Source of the examples written for this project by its authors. */
    public static final String SOURCE_HANDWRITTEN = "handwritten";

    /**
     * @throws IllegalArgumentException if text, category or source is blank
     */
    public LabelledExample {
        requireNonBlank(text, "text");
        requireNonBlank(category, "category");
        requireNonBlank(source, "source");
    }

    /** Whether this example was written by hand for the project (as opposed to taken from a public data set). */
    public boolean isHandwritten() {
        return SOURCE_HANDWRITTEN.equals(source);
    }

    private static void requireNonBlank(String value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
    }
}

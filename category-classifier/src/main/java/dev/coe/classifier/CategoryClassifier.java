package dev.coe.classifier;

import java.util.List;

/**
 * Step one of Composition-of-Experts routing: puts a conversation in one category of a taxonomy.
 * <p>
 * Implementations are thread-safe and do all their work in process (no network calls), so the
 * router can call them on the request path.
 */
public interface CategoryClassifier {

    /**
     * Classifies a conversation, giving most weight to its latest user turn.
     *
     * @param conversation the turns in order; must contain at least one turn with text
     * @return the distribution over {@link #categories()}
     * @throws IllegalArgumentException if the conversation has no text at all
     */
    Classification classify(List<Turn> conversation);

    /** The categories this classifier can answer, in taxonomy order. */
    List<Category> categories();

    /** A short name of how this classifier works, reported in health and routing details. */
    String name();

    /**
     * Identifies what this classifier was built from, for {@code /actuator/info} and logs: its
     * name plus, for trained classifiers, the model format and the hash of the training data.
     */
    default String version() {
        return name();
    }
}

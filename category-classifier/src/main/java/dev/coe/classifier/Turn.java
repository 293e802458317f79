package dev.coe.classifier;

import java.util.Objects;

/**
 * One message of a conversation as the classifier sees it: who said it, and its text.
 * Immutable and thread-safe.
 */
public record Turn(Role role, String text) {

    /** The speaker of a turn, mirroring the chat roles of the OpenAI API. */
    public enum Role { SYSTEM, USER, ASSISTANT, TOOL }

    public Turn {
        Objects.requireNonNull(role, "role");
        text = text == null ? "" : text;
    }

    public static Turn user(String text) {
        return new Turn(Role.USER, text);
    }
}

package dev.coe.classifier.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coe.classifier.Turn;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Turns one input line of {@code classify} or {@code evaluate} into the conversation to classify, checking its shape
 * on the way: a line that does not say what to classify is refused with what is wrong, never classified as something
 * it does not say (a number read as the text "5", a chat message's content parts read as empty). Stateless.
 * <p>
 * Accepted: {@code {"prompt"|"text": "..."}}, a FastChat question {@code {"turns": ["...", ...]}} (all turns as user
 * turns), and OpenAI chat messages {@code {"messages": [{"role", "content"}]}}, where content is a string, null, or
 * an array of content parts whose {@code text} parts are joined (images and other parts carry no text to classify).
 */
final class InputLine {

    private InputLine() {
    }

    /**
     * The conversation of one line.
     *
     * @param firstTurnOnly for evaluation: a FastChat question's category is judged on its first turn
     * @throws IllegalArgumentException naming the field that is wrong, or saying that the line has no text at all
     */
    static List<Turn> conversation(JsonNode node, boolean firstTurnOnly) {
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("expected a JSON object with 'prompt', 'text', 'turns' or 'messages'");
        }
        List<Turn> turns;
        if (node.hasNonNull("prompt") || node.hasNonNull("text")) {
            String field = node.hasNonNull("prompt") ? "prompt" : "text";
            turns = List.of(Turn.user(string(node.get(field), field)));
        } else if (node.has("turns")) {
            turns = fastChatTurns(node.get("turns"), firstTurnOnly);
        } else if (node.has("messages")) {
            turns = messages(node.get("messages"));
        } else {
            throw new IllegalArgumentException("the line needs 'prompt', 'text', 'turns' or 'messages'");
        }
        if (turns.stream().allMatch(t -> t.text().isBlank())) {
            throw new IllegalArgumentException("nothing to classify: every turn is empty or blank");
        }
        return turns;
    }

    private static List<Turn> fastChatTurns(JsonNode array, boolean firstTurnOnly) {
        if (!array.isArray() || array.isEmpty()) {
            throw new IllegalArgumentException("'turns' must be a non-empty array of strings, but was " + brief(array));
        }
        List<Turn> turns = new ArrayList<>();
        for (int i = 0; i < (firstTurnOnly ? 1 : array.size()); i++) {
            turns.add(Turn.user(string(array.get(i), "turns[" + i + "]")));
        }
        return turns;
    }

    private static List<Turn> messages(JsonNode array) {
        if (!array.isArray() || array.isEmpty()) {
            throw new IllegalArgumentException("'messages' must be a non-empty array of {role, content}, but was "
                    + brief(array));
        }
        List<Turn> turns = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            JsonNode message = array.get(i);
            String at = "messages[" + i + "]";
            if (!message.isObject()) {
                throw new IllegalArgumentException("'" + at + "' must be an object with 'role' and 'content', but was "
                        + brief(message));
            }
            turns.add(new Turn(role(message.get("role"), at + ".role"),
                    content(message.get("content"), at + ".content")));
        }
        return turns;
    }

    private static Turn.Role role(JsonNode value, String at) {
        return switch (string(value, at).toLowerCase(Locale.ROOT)) {
            case "system", "developer" -> Turn.Role.SYSTEM;
            case "user" -> Turn.Role.USER;
            case "assistant" -> Turn.Role.ASSISTANT;
            case "tool", "function" -> Turn.Role.TOOL;
            default -> throw new IllegalArgumentException("'" + at + "' must be one of system, developer, user,"
                    + " assistant, tool, but was " + brief(value));
        };
    }

    /** A string, null (an assistant turn that only calls tools), or OpenAI content parts. */
    private static String content(JsonNode value, String at) {
        if (value == null || value.isNull()) {
            return "";
        }
        if (value.isTextual()) {
            return value.asText();
        }
        if (!value.isArray()) {
            throw new IllegalArgumentException("'" + at + "' must be a string or an array of content parts, but was "
                    + brief(value));
        }
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < value.size(); i++) {
            JsonNode part = value.get(i);
            if (!part.isObject() || !part.path("type").isTextual()) {
                throw new IllegalArgumentException("'" + at + "[" + i + "]' must be a content part with a 'type',"
                        + " but was " + brief(part));
            }
            if (part.get("type").asText().equals("text")) {
                texts.add(string(part.get("text"), at + "[" + i + "].text"));
            }
        }
        return String.join("\n", texts);
    }

    private static String string(JsonNode value, String field) {
        if (value == null || !value.isTextual()) {
            throw new IllegalArgumentException("'" + field + "' must be a string, but was "
                    + (value == null ? "missing" : brief(value)));
        }
        return value.asText();
    }

    /** The value as JSON, cut short: a message should point at the mistake, not repeat a whole prompt. */
    private static String brief(JsonNode value) {
        String json = value == null ? "missing" : value.toString();
        return json.length() <= 60 ? json : json.substring(0, 57) + "...";
    }
}

package dev.coe.gateway.stub;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** How the stubs cut answers into stream chunks and count words. Stateless. */
final class StubText {

    private StubText() {
    }

    /** Splits a text into stream chunks of one word each, the whitespace before a word kept with it. */
    static List<String> pieces(String text) {
        return text.isEmpty() ? List.of() : List.of(text.split("(?<=\\S)(?=\\s)"));
    }

    /** Splits tool-call arguments into three pieces, as servers stream them. */
    static List<String> argumentPieces(String arguments) {
        List<String> parts = new ArrayList<>();
        int step = Math.max(1, (arguments.length() + 2) / 3);
        for (int start = 0; start < arguments.length(); start += step) {
            parts.add(arguments.substring(start, Math.min(arguments.length(), start + step)));
        }
        return parts;
    }

    /** The words of every text in the request's messages and system prompt, the default prompt token count. */
    static int promptWords(JsonNode body) {
        if (body == null) {
            return 0;
        }
        return countWords(body.path("messages")) + countWords(body.path("system"));
    }

    private static int countWords(JsonNode node) {
        if (node.isTextual()) {
            String text = node.asText().strip();
            return text.isEmpty() ? 0 : text.split("\\s+").length;
        }
        int words = 0;
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            if (field.getKey().equals("content") || field.getKey().equals("text") || field.getValue().isContainerNode()) {
                words += countWords(field.getValue());
            }
        }
        if (node.isArray()) {
            for (JsonNode element : node) {
                words += countWords(element);
            }
        }
        return words;
    }
}

package dev.coe.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;

/** The text an OpenAI SSE answer streamed: its {@code delta.content} pieces joined, as a client would show it. */
final class StreamedText {

    private static final ObjectMapper JSON = new ObjectMapper();

    private StreamedText() {
    }

    static String of(String sse) throws IOException {
        StringBuilder text = new StringBuilder();
        for (String line : sse.split("\n")) {
            if (line.startsWith("data: {")) {
                JsonNode delta = JSON.readTree(line.substring(6)).at("/choices/0/delta/content");
                if (delta.isTextual()) {
                    text.append(delta.asText());
                }
            }
        }
        return text.toString();
    }
}

package dev.coe.classifier.training;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/** Reads a JSON-lines file (gzipped when its name ends in {@code .gz}), one tree per non-blank line. Stateless. */
public final class JsonLines {

    // Without the feature, '{"prompt": "a"} {"prompt": "b"}' would be read as its first object and the rest lost.
    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private static final Pattern START_MARKER = Pattern.compile("\\(start marker at \\[Source: [^\\]]*column: (\\d+)\\]\\)");

    /** A non-blank line and its 1-based number in the file, for messages that say where a problem is. */
    public record Line(int number, JsonNode json) {
    }

    private JsonLines() {
    }

    /** @throws BadLineException if a line is not valid JSON */
    public static List<JsonNode> read(Path file) throws IOException {
        return readNumbered(file).stream().map(Line::json).toList();
    }

    /** @throws BadLineException if a line is not valid JSON */
    public static List<Line> readNumbered(Path file) throws IOException {
        List<Line> lines = new ArrayList<>();
        InputStream in = Files.newInputStream(file);
        InputStream stream = file.toString().endsWith(".gz") ? new GZIPInputStream(in) : in;
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
            String line;
            int number = 0;
            while ((line = reader.readLine()) != null) {
                number++;
                if (!line.isBlank()) {
                    lines.add(new Line(number, parse(line, file.toString(), number)));
                }
            }
        }
        return lines;
    }

    /**
     * One line's tree.
     *
     * @param source the file the line comes from, or {@code stdin}, for the message
     * @throws BadLineException if the line is not valid JSON
     */
    public static JsonNode parse(String line, String source, int number) {
        try {
            return JSON.readTree(line);
        } catch (JsonProcessingException e) {
            // Jackson's own message ends in a location that names no file and repeats "line: 1".
            String column = e.getLocation() == null ? "" : " (column " + e.getLocation().getColumnNr() + ")";
            throw new BadLineException(source, number, "not valid JSON: " + withoutSource(e.getOriginalMessage()) + column, e);
        }
    }

    /** Jackson names an unclosed object's start as "[Source: REDACTED ...; line: 1, column: 1]"; only the column helps. */
    private static String withoutSource(String message) {
        return START_MARKER.matcher(message).replaceAll("(opened at column $1)");
    }
}

package dev.coe.gateway.stub;

import java.util.ArrayList;
import java.util.List;

/** How the stubs spoil well-formed answers for {@link StubReply#withMalformedJson()}. Stateless. */
final class StubFaults {

    private StubFaults() {
    }

    /**
     * The first half of a JSON text: an object or array cut in half never closes, so no JSON parser accepts it,
     * while the HTTP framing around it stays correct. A cut body is what a buffering proxy or a crashed worker
     * really produces, unlike random bytes.
     */
    static String malform(String json) {
        return json.substring(0, Math.max(1, json.length() / 2));
    }

    /** The chunks with the JSON of the middle one cut in half; SSE field names and line ends are kept. */
    static List<String> malformMiddleChunk(List<String> chunks) {
        if (chunks.isEmpty()) {
            return chunks;
        }
        List<String> spoiled = new ArrayList<>(chunks);
        int middle = chunks.size() / 2;
        spoiled.set(middle, malformChunk(chunks.get(middle)));
        return spoiled;
    }

    /** Cuts the JSON of each {@code data:} line of an SSE event, or of an NDJSON line. */
    private static String malformChunk(String chunk) {
        StringBuilder out = new StringBuilder();
        for (String line : chunk.split("\n", -1)) {
            if (line.startsWith("data: {")) {
                out.append("data: ").append(malform(line.substring("data: ".length())));
            } else if (line.startsWith("{")) {
                out.append(malform(line));
            } else {
                out.append(line);
            }
            out.append('\n');
        }
        out.setLength(out.length() - 1); // split(-1) gave one more element than there were line ends
        return out.toString();
    }
}

package dev.coe.gateway.stub;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One HTTP request a stub server received, exactly as it arrived. Immutable.
 *
 * @param method  the HTTP method, e.g. {@code POST}
 * @param path    the request path without the query, e.g. {@code /v1/chat/completions}
 * @param headers the headers, names in lower case
 * @param body    the raw body ({@code ""} when there was none)
 * @param json    the body parsed with Jackson, or null when it is empty or not JSON
 */
public record RecordedRequest(String method, String path, Map<String, List<String>> headers, String body, JsonNode json) {

    public RecordedRequest {
        headers = Map.copyOf(headers);
    }

    /** The first value of a header, the name in any case, or null when the header is absent. */
    public String header(String name) {
        List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        return values == null || values.isEmpty() ? null : values.getFirst();
    }

    /** True for a request that asked for a streamed answer ({@code "stream": true} in the body). */
    public boolean streaming() {
        return json != null && json.path("stream").asBoolean(false);
    }
}

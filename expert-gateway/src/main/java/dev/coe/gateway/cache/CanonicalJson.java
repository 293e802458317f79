package dev.coe.gateway.cache;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns values into a canonical JSON tree (sorted maps, lists, strings, numbers, booleans, nulls) and writes it.
 * Stateless and thread-safe.
 */
final class CanonicalJson {

    private static final ObjectMapper JSON = new ObjectMapper()
            // "{} x" must not parse as "{}": two different argument strings would share a key.
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            // Every map is already a TreeMap; this only guards against a map that slipped through.
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            // The caller owns the stream it hands to write().
            .configure(JsonGenerator.Feature.AUTO_CLOSE_TARGET, false);

    private CanonicalJson() {
    }

    /**
     * Client-written JSON text as a canonical tree, wrapped so that it cannot be confused with text that is not
     * JSON: {@code {"json": tree}}, or {@code {"text": raw}} when it does not parse.
     */
    static Map<String, Object> parsedOrRaw(String text) {
        Map<String, Object> out = new TreeMap<>();
        if (text == null) {
            out.put("text", null);
            return out;
        }
        try {
            out.put("json", canonical(JSON.readValue(text, Object.class)));
        } catch (JsonProcessingException e) {
            out.put("text", text);
        }
        return out;
    }

    /**
     * A canonical copy of a value built of maps, collections and scalars: maps become {@link TreeMap}s keyed by
     * the keys' text, collections and arrays lists, enums their names, and anything else its {@code toString}.
     */
    static Object canonical(Object value) {
        if (value == null || value instanceof String || value instanceof Number || value instanceof Boolean) {
            return value;
        }
        if (value instanceof Enum<?> e) {
            return e.name();
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> sorted = new TreeMap<>();
            map.forEach((k, v) -> sorted.put(String.valueOf(k), canonical(v)));
            return sorted;
        }
        if (value instanceof Collection<?> collection) {
            List<Object> list = new ArrayList<>(collection.size());
            collection.forEach(v -> list.add(canonical(v)));
            return list;
        }
        if (value.getClass().isArray()) {
            int length = Array.getLength(value);
            List<Object> list = new ArrayList<>(length);
            for (int i = 0; i < length; i++) {
                list.add(canonical(Array.get(value, i)));
            }
            return list;
        }
        return value.toString();
    }

    static void write(Object tree, OutputStream out) throws IOException {
        JSON.writeValue(out, tree);
    }

    static String toString(Object tree) {
        try {
            return JSON.writeValueAsString(tree);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("cannot write a canonical tree", e);
        }
    }
}

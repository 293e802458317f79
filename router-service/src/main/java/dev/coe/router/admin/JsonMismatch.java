package dev.coe.router.admin;

import dev.coe.router.system.JsonSyntaxErrors;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.PropertyBindingException;

import java.util.Collection;
import java.util.Map;
import java.util.TreeSet;

/**
 * Says in the API's own terms what was wrong with a JSON body that parsed but did not fit its type:
 * {@code 'chain' must be an array, but was a string}. Jackson's own message names Java types
 * ({@code java.util.ArrayList<java.lang.String>}, {@code ExpertsFile$CostEntry}), which tell an operator nothing about
 * the field to mend and show the router's internals. Stateless.
 */
final class JsonMismatch {

    private JsonMismatch() {
    }

    /** The field's path in the body, as the API documents it: {@code expert.cost.inputUsdPerMillion}, {@code chain[0]}. */
    static String path(JacksonException e) {
        StringBuilder out = new StringBuilder();
        for (JacksonException.Reference ref : e.getPath()) {
            if (ref.getPropertyName() != null) {
                out.append(out.isEmpty() ? "" : ".").append(ref.getPropertyName());
            } else if (ref.getIndex() >= 0) {
                out.append('[').append(ref.getIndex()).append(']');
            }
        }
        return out.toString();
    }

    /**
     * A message for a body that does not fit its type, or the parser's first line for anything else (a syntax error
     * names its line and column, which is what helps there).
     *
     * @param prefix the path of the object the body was read into, or empty for the request body itself
     */
    static String describe(JacksonException e, String prefix) {
        String path = join(prefix, path(e));
        if (e instanceof PropertyBindingException unknown) {
            String owner = join(prefix, parentPath(e));
            return "unknown field '" + unknown.getPropertyName() + "' in " + (owner.isEmpty() ? "the body" : "'" + owner + "'")
                    + known(unknown.getKnownPropertyIds());
        }
        if (e instanceof InvalidFormatException invalid && invalid.getTargetType() != null) {
            return "'" + path + "' must be " + kind(invalid.getTargetType()) + ", but was '" + invalid.getValue() + "'";
        }
        if (e instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null && !path.isEmpty()) {
            JsonToken token = mismatch.getCurrentToken();
            return "'" + path + "' must be " + kind(mismatch.getTargetType()) + (token == null ? "" : ", but was " + kind(token));
        }
        if (e instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null) {
            return "the body must be " + kind(mismatch.getTargetType());
        }
        return JsonSyntaxErrors.describe(e);
    }

    private static String parentPath(JacksonException e) {
        String path = path(e);
        int dot = path.lastIndexOf('.');
        return dot < 0 ? "" : path.substring(0, dot);
    }

    private static String join(String prefix, String path) {
        if (prefix.isEmpty() || path.isEmpty()) {
            return prefix + path;
        }
        return path.startsWith("[") ? prefix + path : prefix + "." + path;
    }

    private static String known(Collection<Object> ids) {
        if (ids == null || ids.isEmpty()) {
            return "";
        }
        TreeSet<String> names = new TreeSet<>();
        ids.forEach(id -> names.add(String.valueOf(id)));
        return "; known fields: " + String.join(", ", names);
    }

    static String kind(Class<?> type) {
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class
                || type == Short.class || type == short.class) {
            return "an integer";
        }
        if (Number.class.isAssignableFrom(type) || type == double.class || type == float.class) {
            return "a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (CharSequence.class.isAssignableFrom(type) || type.isEnum() || type == Character.class) {
            return "a string";
        }
        if (Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "an array";
        }
        if (Map.class.isAssignableFrom(type) || type.isRecord() || !type.getName().startsWith("java.")) {
            return "an object";
        }
        return "a " + type.getSimpleName();
    }

    private static String kind(JsonToken token) {
        return switch (token) {
            case START_OBJECT, END_OBJECT, PROPERTY_NAME -> "an object";
            case START_ARRAY, END_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT -> "an integer";
            case VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> "something else";
        };
    }
}

package dev.coe.router.system;

import tools.jackson.core.JacksonException;
import tools.jackson.core.TokenStreamLocation;

/** How a JSON syntax error in a request body is told to the client, on {@code /v1} and {@code /admin} alike. */
public final class JsonSyntaxErrors {

    private JsonSyntaxErrors() {
    }

    /**
     * Jackson's message with the position in the body, without its internal notes on where the source is (the body
     * is never echoed back, so Jackson's "[Source: REDACTED ...]" only confuses a client) and without any lines after
     * the first.
     */
    public static String describe(JacksonException e) {
        String message = String.valueOf(e.getOriginalMessage()).replaceAll("\\s*\\(start marker at \\[Source:[^]]*]\\)", "");
        int newline = message.indexOf('\n');
        message = newline < 0 ? message : message.substring(0, newline);
        TokenStreamLocation at = e.getLocation();
        return at == null || at.getLineNr() < 1 ? message : message + " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
    }
}

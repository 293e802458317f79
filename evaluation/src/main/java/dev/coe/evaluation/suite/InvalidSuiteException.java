package dev.coe.evaluation.suite;

/** A suite file or its data is missing, malformed or inconsistent; the message names the file and the value. */
public class InvalidSuiteException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public InvalidSuiteException(String message) {
        super(message);
    }

    public InvalidSuiteException(String message, Throwable cause) {
        super(message, cause);
    }
}

package dev.coe.evaluation.optimize;

/**
 * Why the optimizer cannot run on what it was given. Each subtype names the input at fault in its message.
 */
public abstract sealed class OptimizerException extends RuntimeException {

    OptimizerException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The observations, costs, records or report are malformed or inconsistent. */
    public static final class InvalidInput extends OptimizerException {
        public InvalidInput(String message) {
            super(message, null);
        }

        public InvalidInput(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** No expert can be both scored and priced, so there is nothing to choose from. */
    public static final class NothingToChoose extends OptimizerException {
        public NothingToChoose(String message) {
            super(message, null);
        }
    }
}

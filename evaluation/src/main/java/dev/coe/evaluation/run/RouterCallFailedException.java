package dev.coe.evaluation.run;

/** The router did not answer a conversation after every retry; carries the last status (0: no response). */
public class RouterCallFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;

    public RouterCallFailedException(String message, int status, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    public int status() {
        return status;
    }
}

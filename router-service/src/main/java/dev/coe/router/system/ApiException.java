package dev.coe.router.system;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;

/**
 * A failure to answer on {@code /v1/**}, already in OpenAI's terms: status, error type, code and the
 * offending parameter. {@link OpenAiErrorAdvice} writes it as {@code {"error": {...}}}. Immutable.
 */
public class ApiException extends RuntimeException {

    private final HttpStatus status;
    private final String type;
    private final String code;
    private final String param;
    private final HttpHeaders headers;

    public ApiException(HttpStatus status, String type, String code, String param, String message, HttpHeaders headers) {
        super(message);
        this.status = status;
        this.type = type;
        this.code = code;
        this.param = param;
        this.headers = headers == null ? HttpHeaders.EMPTY : headers;
    }

    /** 400 for a request the client must fix; {@code param} names the field. */
    public static ApiException invalidRequest(String param, String message) {
        return new ApiException(HttpStatus.BAD_REQUEST, "invalid_request_error", null, param, message, null);
    }

    /** 400 for a parameter this router cannot honour: refused rather than dropped. */
    public static ApiException unsupportedParameter(String param, String message) {
        return new ApiException(HttpStatus.BAD_REQUEST, "invalid_request_error", "unsupported_parameter", param, message, null);
    }

    public static ApiException modelNotFound(String model) {
        return new ApiException(HttpStatus.NOT_FOUND, "invalid_request_error", "model_not_found", "model",
                "The model `" + model + "` does not exist. GET /v1/models lists the router models and experts.", null);
    }

    public HttpStatus status() { return status; }

    public String type() { return type; }

    public String code() { return code; }

    public String param() { return param; }

    public HttpHeaders headers() { return headers; }
}

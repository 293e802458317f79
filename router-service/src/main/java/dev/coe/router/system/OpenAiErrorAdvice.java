package dev.coe.router.system;

import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/**
 * The one place where failures on {@code /v1/**} become OpenAI-shaped error bodies (it also catches
 * requests to unknown paths, which have no controller; under {@code /admin/**} those get a problem detail instead,
 * while the admin controllers' own failures go to their own advice). Client mistakes
 * get 4xx with the offending parameter named; only the router's own bugs are 500, and those are logged.
 */
@RestControllerAdvice
public class OpenAiErrorAdvice {

    private static final Logger log = LoggerFactory.getLogger(OpenAiErrorAdvice.class);

    @ExceptionHandler(ApiException.class)
    ResponseEntity<OpenAiError> api(ApiException e) {
        return ResponseEntity.status(e.status()).headers(e.headers()).contentType(MediaType.APPLICATION_JSON)
                .body(OpenAiError.of(e.getMessage(), e.type(), e.param(), e.code()));
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    ResponseEntity<?> method(HttpRequestMethodNotSupportedException e, HttpServletRequest request) {
        if (Problems.isAdmin(request)) {
            return Problems.response(Problems.of(HttpStatus.METHOD_NOT_ALLOWED, "method-not-allowed", "Method not allowed",
                    e.getMethod() + " is not allowed on " + request.getRequestURI(), request));
        }
        return error(HttpStatus.METHOD_NOT_ALLOWED, "invalid_request_error", "method_not_allowed",
                e.getMethod() + " is not allowed on " + request.getRequestURI());
    }

    @ExceptionHandler(NoResourceFoundException.class)
    ResponseEntity<?> notFound(NoResourceFoundException e, HttpServletRequest request) {
        if (Problems.isAdmin(request)) {
            return Problems.response(Problems.of(HttpStatus.NOT_FOUND, "not-found", "Not found",
                    "No endpoint " + request.getRequestURI(), request));
        }
        return error(HttpStatus.NOT_FOUND, "invalid_request_error", "not_found", "No endpoint " + request.getRequestURI());
    }

    @ExceptionHandler(HttpMediaTypeNotAcceptableException.class)
    ResponseEntity<OpenAiError> notAcceptable(HttpMediaTypeNotAcceptableException e) {
        return error(HttpStatus.NOT_ACCEPTABLE, "invalid_request_error", "not_acceptable", e.getMessage());
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<OpenAiError> unexpected(Exception e, HttpServletRequest request) {
        log.error("Unexpected failure on {} {}", request.getMethod(), request.getRequestURI(), e);
        return error(HttpStatus.INTERNAL_SERVER_ERROR, "server_error", "internal_error",
                "The router failed unexpectedly; the failure is logged. " + e.getClass().getSimpleName());
    }

    static ResponseEntity<OpenAiError> error(HttpStatus status, String type, String code, String message) {
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON)
                .body(OpenAiError.of(message, type, null, code));
    }
}

package dev.coe.router.admin;

import dev.coe.router.system.Problems;
import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import tools.jackson.core.JacksonException;

/**
 * Turns every failure of the admin API's controllers into an RFC 9457 problem detail. Scoped to this package and
 * ordered before {@code OpenAiErrorAdvice}, so {@code /v1/**} keeps OpenAI's error shape. Malformed JSON is a 400,
 * never a 500.
 */
@RestControllerAdvice(basePackageClasses = AdminProblemAdvice.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
class AdminProblemAdvice {

    private static final Logger log = LoggerFactory.getLogger(AdminProblemAdvice.class);

    @ExceptionHandler(AdminException.class)
    ResponseEntity<ProblemDetail> admin(AdminException e, HttpServletRequest request) {
        ProblemDetail problem = Problems.of(e.status(), e.slug(), e.title(), e.getMessage(), request);
        if (e instanceof AdminException.InvalidConfig invalid) {
            problem.setProperty("errors", invalid.errors());
        } else if (e instanceof AdminException.Conflict conflict) {
            problem.setProperty("liveVersion", conflict.live());
        }
        return Problems.response(problem);
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<ProblemDetail> unreadable(HttpMessageNotReadableException e, HttpServletRequest request) {
        // A syntax error's message names the line and column; a body of the wrong shape is described by its field,
        // not by the Java type it failed to fit. The exception chain would only add the internals.
        Throwable cause = e.getMostSpecificCause();
        String detail = cause instanceof JacksonException jackson ? JsonMismatch.describe(jackson, "")
                : cause.getMessage() == null ? "the body is not valid JSON for this endpoint" : firstLine(cause.getMessage());
        return bad("malformed-json", "Malformed request body", detail, request);
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<ProblemDetail> typeMismatch(MethodArgumentTypeMismatchException e, HttpServletRequest request) {
        return bad("bad-request", "Bad request", "'" + e.getName() + "' must be a " + simpleName(e.getRequiredType())
                + ", but was '" + e.getValue() + "'", request);
    }

    @ExceptionHandler(MissingServletRequestParameterException.class)
    ResponseEntity<ProblemDetail> missingParameter(MissingServletRequestParameterException e, HttpServletRequest request) {
        return bad("bad-request", "Bad request", e.getMessage(), request);
    }

    @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
    ResponseEntity<ProblemDetail> mediaType(HttpMediaTypeNotSupportedException e, HttpServletRequest request) {
        return Problems.response(Problems.of(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported-media-type",
                "Unsupported media type", "send application/json; " + e.getMessage(), request));
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception e, HttpServletRequest request) {
        log.error("Unexpected failure on {} {}", request.getMethod(), request.getRequestURI(), e);
        return Problems.response(Problems.of(HttpStatus.INTERNAL_SERVER_ERROR, "internal-error", "Internal error",
                "The router failed unexpectedly; the failure is logged. " + e.getClass().getSimpleName(), request));
    }

    private static ResponseEntity<ProblemDetail> bad(String slug, String title, String detail, HttpServletRequest request) {
        return Problems.response(Problems.of(HttpStatus.BAD_REQUEST, slug, title, detail, request));
    }

    private static String firstLine(String text) {
        int newline = text.indexOf('\n');
        return newline < 0 ? text : text.substring(0, newline);
    }

    private static String simpleName(Class<?> type) {
        return type == null ? "value" : type.getSimpleName();
    }
}

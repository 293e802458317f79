package dev.coe.router.system;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The body of an error that the servlet container answers rather than a controller: a request Tomcat refused (see
 * {@link JsonErrorReportValve}), or one it sent to the error page after the application had already given up on it
 * (see {@link JsonErrorController}). Both speak the application's shapes: RFC 9457 problem details under
 * {@code /admin}, OpenAI's error object everywhere else, so that no client ever sees Tomcat's HTML or Spring's
 * default {@code {"timestamp", "status", "error", "path"}}.
 */
record ContainerErrors(MediaType contentType, Object body) {

    static ContainerErrors of(String path, int status, String message) {
        String reason = reason(status);
        // A 4xx message is Tomcat's word on the request's form; a 5xx one may describe internals, so it stays in the log.
        String detail = status >= 500 ? reason
                : message == null || message.isBlank() ? reason + ": the request line, path, headers or body are malformed"
                : message;
        if (Problems.isAdminPath(path)) {
            Map<String, Object> problem = new LinkedHashMap<>();
            problem.put("type", "urn:coe:problem:" + (status == 404 ? "not-found" : status < 500 ? "bad-request" : "internal-error"));
            problem.put("title", reason);
            problem.put("status", status);
            problem.put("detail", detail);
            if (path != null) {
                problem.put("instance", path);
            }
            return new ContainerErrors(MediaType.APPLICATION_PROBLEM_JSON, problem);
        }
        return new ContainerErrors(MediaType.APPLICATION_JSON, OpenAiError.of(detail,
                status < 500 ? "invalid_request_error" : "server_error", null,
                status == 404 ? "not_found" : status < 500 ? "invalid_request" : "internal_error"));
    }

    private static String reason(int status) {
        HttpStatus known = HttpStatus.resolve(status);
        return known == null ? (status < 500 ? "Bad Request" : "Internal Server Error") : known.getReasonPhrase();
    }
}

package dev.coe.router.system;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;

import java.net.URI;

/**
 * RFC 9457 problem details, the error shape of {@code /admin/**} (OpenAI's shape stays on {@code /v1/**}). Types are
 * {@code urn:coe:problem:<slug>} so a client can tell problems apart without parsing the text. Stateless.
 */
public final class Problems {

    /** Paths whose errors are problem details rather than OpenAI errors. */
    public static final String ADMIN_PREFIX = "/admin";

    private Problems() {
    }

    public static ProblemDetail of(HttpStatus status, String slug, String title, String detail, HttpServletRequest request) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(URI.create("urn:coe:problem:" + slug));
        problem.setTitle(title);
        if (request != null) {
            problem.setInstance(URI.create(request.getRequestURI()));
        }
        return problem;
    }

    public static ResponseEntity<ProblemDetail> response(ProblemDetail problem) {
        return ResponseEntity.status(problem.getStatus()).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }

    public static boolean isAdmin(HttpServletRequest request) {
        return isAdminPath(request.getRequestURI().substring(request.getContextPath().length()));
    }

    /** Whether errors on this path (without the context path) are problem details. */
    static boolean isAdminPath(String path) {
        return path != null && (path.equals(ADMIN_PREFIX) || path.startsWith(ADMIN_PREFIX + "/"));
    }
}

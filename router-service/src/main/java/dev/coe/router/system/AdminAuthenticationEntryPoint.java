package dev.coe.router.system;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;

/**
 * What {@code /admin/**} answers to a caller who is not (or not properly) authenticated: a browser (it accepts
 * {@code text/html}) is sent to the login page; an API client gets 401 with a problem detail and a Basic challenge.
 * A refused request of an authenticated user (a missing CSRF token, mostly) gets 403 with a problem detail.
 * Stateless and thread-safe.
 */
final class AdminAuthenticationEntryPoint implements AuthenticationEntryPoint, AccessDeniedHandler {

    static final String REALM = "coe-admin";

    private final AuthenticationEntryPoint login;
    private final JsonMapper json;

    AdminAuthenticationEntryPoint(String loginPage, JsonMapper json) {
        this.login = new LoginUrlAuthenticationEntryPoint(loginPage);
        this.json = json;
    }

    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException e)
            throws IOException, jakarta.servlet.ServletException {
        if (wantsHtml(request)) {
            login.commence(request, response, e);
            return;
        }
        response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"" + REALM + "\"");
        write(response, Problems.of(HttpStatus.UNAUTHORIZED, "unauthorized", "Unauthorized",
                "/admin/** needs credentials: HTTP Basic (coe.admin.username / COE_ADMIN_PASSWORD) or the login form", request));
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException e) throws IOException {
        write(response, Problems.of(HttpStatus.FORBIDDEN, "forbidden", "Forbidden",
                e.getMessage() + " (a browser session must send its CSRF token; an API client should use HTTP Basic without a session)",
                request));
    }

    private void write(HttpServletResponse response, ProblemDetail problem) throws IOException {
        response.setStatus(problem.getStatus());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        json.writeValue(response.getOutputStream(), problem);
    }

    static boolean wantsHtml(HttpServletRequest request) {
        String accept = request.getHeader(HttpHeaders.ACCEPT);
        return accept != null && accept.contains(MediaType.TEXT_HTML_VALUE);
    }
}

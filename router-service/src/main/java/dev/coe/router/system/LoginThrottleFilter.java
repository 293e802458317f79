package dev.coe.router.system;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;

/**
 * Refuses a login attempt (HTTP Basic credentials, or the login form's POST) from an address that {@link
 * AdminLoginThrottle} says has failed too often: 429 with {@code Retry-After} and a problem detail, before the
 * credentials are checked. Requests of an already logged-in browser session carry no credentials and pass, so an
 * operator behind the same address as a guesser keeps working.
 */
final class LoginThrottleFilter extends OncePerRequestFilter {

    private final AdminLoginThrottle throttle;
    private final String loginPage;
    private final JsonMapper json;

    LoginThrottleFilter(AdminLoginThrottle throttle, String loginPage, JsonMapper json) {
        this.throttle = throttle;
        this.loginPage = loginPage;
        this.json = json;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Optional<Duration> wait = attemptsLogin(request) ? throttle.retryAfter(request.getRemoteAddr()) : Optional.empty();
        if (wait.isEmpty()) {
            chain.doFilter(request, response);
            return;
        }
        long seconds = Math.max(1, (wait.get().toMillis() + 999) / 1000);
        ProblemDetail problem = Problems.of(HttpStatus.TOO_MANY_REQUESTS, "too-many-failed-logins", "Too many failed logins",
                "Too many failed logins from this address; try again in " + seconds + " s", request);
        response.setStatus(HttpStatus.TOO_MANY_REQUESTS.value());
        response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(seconds));
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        json.writeValue(response.getOutputStream(), problem);
    }

    private boolean attemptsLogin(HttpServletRequest request) {
        String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
        return authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)
                || "POST".equals(request.getMethod()) && loginPage.equals(request.getServletPath());
    }
}

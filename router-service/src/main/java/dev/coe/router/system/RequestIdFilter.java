package dev.coe.router.system;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * Gives every {@code /v1/**} response its {@code x-request-id} before anything else runs: the client's own when it is
 * a plain token (letters, digits, {@code ._:-}, at most 128), else a new one. The client-key check, unknown paths and
 * refused methods answer before the chat controller does, and a client that quotes an error's id to an operator needs
 * one on those too. Stateless and thread-safe.
 */
public final class RequestIdFilter extends OncePerRequestFilter {

    public static final String HEADER = "x-request-id";

    private static final String ATTRIBUTE = RequestIdFilter.class.getName() + ".id";
    private static final Pattern FORMAT = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        response.setHeader(HEADER, of(request));
        chain.doFilter(request, response);
    }

    /** The request's id: the one this filter gave it, or (where the filter is not installed) one given now. */
    public static String of(HttpServletRequest request) {
        if (request.getAttribute(ATTRIBUTE) instanceof String id) {
            return id;
        }
        String id = accept(request.getHeader(HEADER));
        request.setAttribute(ATTRIBUTE, id);
        return id;
    }

    /** {@code offered} when it is a plain token, else a new random id. */
    static String accept(String offered) {
        if (offered != null && FORMAT.matcher(offered).matches()) {
            return offered;
        }
        // An id to find a request by, not a secret: no need for a secure generator on the hot path.
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return "req-" + Long.toHexString(random.nextLong() | Long.MIN_VALUE) + Long.toHexString(random.nextLong() | Long.MIN_VALUE);
    }
}

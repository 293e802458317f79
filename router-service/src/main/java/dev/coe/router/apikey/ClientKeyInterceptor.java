package dev.coe.router.apikey;

import dev.coe.router.system.ApiException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.servlet.HandlerInterceptor;

import java.util.Locale;
import java.util.Optional;

/**
 * Checks the client key of every {@code /v1/**} request before anything else is read: missing or unknown (when keys
 * are required) 401, over the key's token budget, requests per minute or tokens per minute 429 — in OpenAI's error shape, which the SDKs turn
 * into their usual exceptions (and retry the 429 after {@code Retry-After}). In open mode a request without a key,
 * or with one the router does not know (SDKs always send something), goes through as anonymous; a known key still
 * gets its limits. Stateless apart from the keys it reads.
 */
final class ClientKeyInterceptor implements HandlerInterceptor {

    private final ClientKeys keys;
    private final boolean required;

    ClientKeyInterceptor(ClientKeys keys, boolean required) {
        this.keys = keys;
        this.required = required;
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        String presented = bearer(request.getHeader(HttpHeaders.AUTHORIZATION));
        Optional<ClientKey> key = presented == null ? Optional.empty() : keys.lookup(presented);
        if (required && presented == null) {
            throw unauthorized("missing_api_key", "You didn't provide an API key. Send it as 'Authorization: Bearer <key>'; "
                    + "keys are created in the admin API (POST /admin/api/keys).");
        }
        if (key.isPresent() && keys.expired(key.get())) {
            if (required) {
                throw unauthorized("invalid_api_key", "This API key expired at " + key.get().expiresAt()
                        + ". Ask an operator for a new key or a later expiry.");
            }
            key = Optional.empty();  // as a revoked key: anonymous in open mode
        }
        if (required && key.isEmpty()) {
            // The key is never echoed, not even in part: it may be a real secret meant for another service.
            throw unauthorized("invalid_api_key", "Incorrect API key provided, or the key was revoked.");
        }
        if (key.isPresent()) {
            ClientKey k = key.get();
            if (k.tokenBudget() != null && k.tokensUsed() >= k.tokenBudget()) {
                throw new ApiException(HttpStatus.TOO_MANY_REQUESTS, "insufficient_quota", "insufficient_quota", null,
                        "This API key has used its token budget (" + k.tokensUsed() + " of " + k.tokenBudget()
                                + " tokens). Ask an operator for a new key or a larger budget.", new HttpHeaders());
            }
            // Tokens first: checking them takes nothing, so a refusal for tokens does not spend a request.
            admit(keys.checkTokens(k), RateLimitHeaders.Limit.TOKENS, k.tokensPerMinute(), response);
            admit(keys.takeRequest(k), RateLimitHeaders.Limit.REQUESTS, k.requestsPerMinute(), response);
        }
        request.setAttribute(Caller.ATTRIBUTE, new Caller(key.orElse(null), keys));
        return true;
    }

    /** Writes the limit's headers, and refuses the request when the limit is reached. */
    private static void admit(Optional<Allowance> allowance, RateLimitHeaders.Limit limit, Integer perMinute,
                              HttpServletResponse response) {
        if (allowance.isEmpty()) {
            return;
        }
        RateLimitHeaders.write(response, limit, allowance.get());
        if (!allowance.get().admitted()) {
            // Retry-After and the x-ratelimit headers are on the response already; an error keeps them.
            throw new ApiException(HttpStatus.TOO_MANY_REQUESTS, "rate_limit_error", "rate_limit_exceeded", null,
                    "Rate limit reached for this API key: " + perMinute + " " + limit.unit() + " per minute. Retry after "
                            + RateLimitHeaders.duration(allowance.get().retryAfter()) + ".", new HttpHeaders());
        }
    }

    private static ApiException unauthorized(String code, String message) {
        HttpHeaders headers = new HttpHeaders();
        headers.set(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
        return new ApiException(HttpStatus.UNAUTHORIZED, "invalid_request_error", code, null, message, headers);
    }

    /** The token of {@code Authorization: Bearer <token>}; null when the header is absent or of another scheme. */
    static String bearer(String authorization) {
        if (authorization == null) {
            return null;
        }
        String value = authorization.strip();
        if (value.length() > 7 && value.substring(0, 7).toLowerCase(Locale.ROOT).equals("bearer ")) {
            String token = value.substring(7).strip();
            return token.isEmpty() ? null : token;
        }
        return null;
    }
}

package dev.coe.gateway.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.coe.gateway.ExpertConfig;
import dev.coe.gateway.ExpertException;
import dev.coe.gateway.ExpertId;
import dev.coe.gateway.NonRetriableExpertException;
import dev.coe.gateway.RetriableExpertException;
import dev.coe.gateway.RetriableExpertException.Reason;
import dev.langchain4j.exception.AuthenticationException;
import dev.langchain4j.exception.ContentFilteredException;
import dev.langchain4j.exception.HttpException;
import dev.langchain4j.exception.InvalidRequestException;
import dev.langchain4j.exception.ModelNotFoundException;
import dev.langchain4j.exception.RateLimitException;
import dev.langchain4j.exception.UnresolvedModelServerException;
import dev.langchain4j.exception.UnsupportedFeatureException;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * The one place where a failure of a call to an expert becomes an {@link ExpertException}: langchain4j's
 * exceptions (which wrap the HTTP status in {@link HttpException}), raw {@code java.net} failures, and
 * streams that end too early. Immutable and thread-safe; one instance per expert.
 * <p>
 * The rules, first match wins (the whole cause chain is searched for each):
 * <ul>
 *   <li>an HTTP status: 429 is {@code RATE_LIMITED}, 408 {@code TIMEOUT}, 5xx {@code SERVER_ERROR}, any other
 *       status is non-retriable and keeps the status; a 429 or 503 carries its {@code Retry-After};</li>
 *   <li>a connect failure (refused, unknown host, no route, connect timeout) is {@code UNREACHABLE};</li>
 *   <li>a read or request timeout is {@code TIMEOUT};</li>
 *   <li>a 200 answer whose body, or one of whose stream events, is not valid JSON (a Jackson parse or mapping
 *       failure, which Jackson makes an {@code IOException}) is {@code SERVER_ERROR}: the server answered, but
 *       wrongly, and nothing was wrong with the request or the connection. A request of ours that cannot be
 *       written as JSON is refused earlier, as an {@link IllegalArgumentException}, and stays non-retriable;</li>
 *   <li>any other {@link IOException} is {@code CONNECTION_DROPPED}: EOF, reset, a truncated chunked body, and also
 *       a connection closed after the request was sent but before the status line (the JDK client's
 *       "header parser received no bytes"). That one is deliberately not {@code UNREACHABLE}: the server accepted
 *       the connection and may have started on the request, so it is reachable, and a health check or circuit
 *       breaker should not read it as down;</li>
 *   <li>a request langchain4j refused before sending (unsupported feature, invalid argument) is non-retriable
 *       with status 0;</li>
 *   <li>anything else is {@code SERVER_ERROR}: another try or another expert may well succeed.</li>
 * </ul>
 * <b>Retry-After:</b> langchain4j's {@link HttpException} carries only the status and the body, not the response
 * headers. The experts' HTTP client is decorated by {@link RetryAfterCapture}, which rethrows the exception of a
 * 429 or 503 as a {@link RetryAfterHttpException} with the header's wait (delta-seconds, HTTP-date or
 * {@code retry-after-ms}; cut to {@link RetryAfter#MAX_RETRY_AFTER}), and that is what
 * {@link RetriableExpertException#retryAfter()} reports. It stays empty when the header is absent or unreadable,
 * for other statuses, and for a bare {@code HttpException} that did not pass through that client.
 * <p>
 * Messages never contain the API key: when the upstream echoes it, it is replaced by {@code ***} and the cause
 * (whose message would still hold it) is left off.
 */
public final class ExpertErrorMapper {

    /** The longest piece of an upstream error body quoted in a message. */
    public static final int MAX_BODY_CHARS = 300;

    private static final int MAX_CAUSE_DEPTH = 16;

    /** Failures that mean the request was refused before it was sent, or for what it asked. */
    private static final List<Class<? extends Throwable>> REJECTED = List.of(UnsupportedFeatureException.class,
            InvalidRequestException.class, IllegalArgumentException.class, ModelNotFoundException.class,
            AuthenticationException.class, ContentFilteredException.class);

    private final ExpertId expertId;
    private final URI baseUrl;
    private final String secret;

    private ExpertErrorMapper(ExpertId expertId, URI baseUrl, String secret) {
        this.expertId = expertId;
        this.baseUrl = baseUrl;
        this.secret = secret == null || secret.isBlank() ? null : secret;
    }

    /** A mapper for the expert of {@code config}; {@code secret} (nullable) is redacted from every message. */
    public static ExpertErrorMapper of(ExpertConfig config, String secret) {
        return new ExpertErrorMapper(config.id(), config.baseUrl(), secret);
    }

    public ExpertId expertId() {
        return expertId;
    }

    /** Maps any failure of a call; an {@link ExpertException}, also one wrapped by langchain4j, is returned as it is. Never returns null. */
    public ExpertException map(Throwable failure) {
        List<Throwable> chain = causeChain(failure);
        ExpertException already = find(chain, ExpertException.class);
        if (already != null) {
            return already;
        }
        Throwable cause = containsSecret(chain) ? null : failure;

        HttpException http = find(chain, HttpException.class);
        if (http != null) {
            Duration retryAfter = http instanceof RetryAfterHttpException noted ? noted.retryAfter() : null;
            return fromStatus(http.statusCode(), http.getMessage(), retryAfter, cause);
        }
        if (find(chain, HttpConnectTimeoutException.class) != null) {
            return retriable(Reason.UNREACHABLE, "connect timed out at " + baseUrl, cause);
        }
        if (findAny(chain, UnknownHostException.class, UnresolvedAddressException.class,
                UnresolvedModelServerException.class) != null) {
            return retriable(Reason.UNREACHABLE, "cannot resolve the host of " + baseUrl, cause);
        }
        if (find(chain, NoRouteToHostException.class) != null) {
            return retriable(Reason.UNREACHABLE, "no route to " + baseUrl, cause);
        }
        if (find(chain, ConnectException.class) != null) {
            return retriable(Reason.UNREACHABLE, "connection refused at " + baseUrl, cause);
        }
        if (findAny(chain, HttpTimeoutException.class, SocketTimeoutException.class,
                java.util.concurrent.TimeoutException.class, dev.langchain4j.exception.TimeoutException.class) != null) {
            return retriable(Reason.TIMEOUT, "no answer within the request timeout from " + baseUrl, cause);
        }
        JsonProcessingException json = find(chain, JsonProcessingException.class);
        if (json != null) {
            Throwable refusal = refusalAbove(chain, json);
            if (refusal != null) {
                return new NonRetriableExpertException(expertId, 0, "request rejected: " + describe(refusal), cause);
            }
            // The original message, without Jackson's location suffix and reference chain.
            return retriable(Reason.SERVER_ERROR, "upstream sent malformed JSON" + quote(json.getOriginalMessage()), cause);
        }
        IOException io = find(chain, IOException.class);
        if (io != null) {
            return retriable(Reason.CONNECTION_DROPPED, "connection dropped: " + describe(io), cause);
        }
        if (find(chain, RateLimitException.class) != null) {
            return retriable(Reason.RATE_LIMITED, "rate limited: " + describe(failure), cause);
        }
        Throwable rejected = findAny(chain, REJECTED);
        if (rejected != null) {
            return new NonRetriableExpertException(expertId, 0, "request rejected: " + describe(rejected), cause);
        }
        return retriable(Reason.SERVER_ERROR, "call failed: " + describe(failure), cause);
    }

    /** The failure reported when a stream closes before the model finished its answer. */
    public RetriableExpertException streamEndedEarly() {
        return retriable(Reason.CONNECTION_DROPPED, "the stream from " + baseUrl
                + " ended before the answer was complete", null);
    }

    /** A request this expert will not send (an unsupported option or an out-of-range value). */
    public NonRetriableExpertException rejected(String why) {
        return new NonRetriableExpertException(expertId, 0, why, null);
    }

    private ExpertException fromStatus(int status, String body, Duration retryAfter, Throwable cause) {
        String message = "upstream answered HTTP " + status + quote(body)
                + (retryAfter == null ? "" : " (retry after " + retryAfter + ")");
        if (status == 429) {
            return new RetriableExpertException(expertId, Reason.RATE_LIMITED, message, retryAfter, cause);
        }
        if (status == 408) {
            return retriable(Reason.TIMEOUT, message, cause);
        }
        if (status >= 500 && status < 600) {
            return new RetriableExpertException(expertId, Reason.SERVER_ERROR, message, retryAfter, cause);
        }
        return new NonRetriableExpertException(expertId, status, message, cause);
    }

    private RetriableExpertException retriable(Reason reason, String message, Throwable cause) {
        return new RetriableExpertException(expertId, reason, message, cause);
    }

    private String quote(String body) {
        if (body == null || body.isBlank()) {
            return "";
        }
        String oneLine = redact(body.strip().replaceAll("\\s+", " "));
        return ": " + (oneLine.length() > MAX_BODY_CHARS ? oneLine.substring(0, MAX_BODY_CHARS) + "..." : oneLine);
    }

    private String describe(Throwable t) {
        String message = t.getMessage();
        return t.getClass().getName().replaceFirst(".*\\.", "") + quote(message);
    }

    private String redact(String text) {
        return secret == null ? text : text.replace(secret, "***");
    }

    private boolean containsSecret(List<Throwable> chain) {
        if (secret == null) {
            return false;
        }
        for (Throwable t : chain) {
            if (t.getMessage() != null && t.getMessage().contains(secret)) {
                return true;
            }
        }
        return false;
    }

    /** A refusal of the request wrapping {@code failure} (we could not write the request), or null. */
    private static Throwable refusalAbove(List<Throwable> chain, Throwable failure) {
        for (Throwable t : chain) {
            if (t == failure) {
                return null;
            }
            for (Class<? extends Throwable> type : REJECTED) {
                if (type.isInstance(t)) {
                    return t;
                }
            }
        }
        return null;
    }

    private static List<Throwable> causeChain(Throwable failure) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        List<Throwable> chain = new ArrayList<>();
        for (Throwable t = failure; t != null && chain.size() < MAX_CAUSE_DEPTH && seen.add(t); t = t.getCause()) {
            chain.add(t);
        }
        return chain;
    }

    private static <T extends Throwable> T find(List<Throwable> chain, Class<T> type) {
        for (Throwable t : chain) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    @SafeVarargs
    private static Throwable findAny(List<Throwable> chain, Class<? extends Throwable>... types) {
        return findAny(chain, List.of(types));
    }

    private static Throwable findAny(List<Throwable> chain, List<Class<? extends Throwable>> types) {
        for (Class<? extends Throwable> type : types) {
            Throwable found = find(chain, type);
            if (found != null) {
                return found;
            }
        }
        return null;
    }
}

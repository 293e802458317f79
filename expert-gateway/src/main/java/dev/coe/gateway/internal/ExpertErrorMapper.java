package dev.coe.gateway.internal;

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
 *       status is non-retriable and keeps the status;</li>
 *   <li>a connect failure (refused, unknown host, no route, connect timeout) is {@code UNREACHABLE};</li>
 *   <li>a read or request timeout is {@code TIMEOUT};</li>
 *   <li>any other {@link IOException} (EOF, reset, truncated chunked body) is {@code CONNECTION_DROPPED};</li>
 *   <li>a request langchain4j refused before sending (unsupported feature, invalid argument) is non-retriable
 *       with status 0;</li>
 *   <li>anything else is {@code SERVER_ERROR}: another try or another expert may well succeed.</li>
 * </ul>
 * <b>Limitation:</b> langchain4j's {@link HttpException} carries only the status and the body, not the response
 * headers, so a {@code Retry-After} header of a hosted provider cannot be read here;
 * {@link RetriableExpertException#retryAfter()} is then empty.
 * <p>
 * Messages never contain the API key: when the upstream echoes it, it is replaced by {@code ***} and the cause
 * (whose message would still hold it) is left off.
 */
public final class ExpertErrorMapper {

    /** The longest piece of an upstream error body quoted in a message. */
    public static final int MAX_BODY_CHARS = 300;

    private static final int MAX_CAUSE_DEPTH = 16;

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
            return fromStatus(http.statusCode(), http.getMessage(), cause);
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
        IOException io = find(chain, IOException.class);
        if (io != null) {
            return retriable(Reason.CONNECTION_DROPPED, "connection dropped: " + describe(io), cause);
        }
        if (find(chain, RateLimitException.class) != null) {
            return retriable(Reason.RATE_LIMITED, "rate limited: " + describe(failure), cause);
        }
        Throwable rejected = findAny(chain, UnsupportedFeatureException.class, InvalidRequestException.class,
                IllegalArgumentException.class, ModelNotFoundException.class, AuthenticationException.class,
                ContentFilteredException.class);
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

    private ExpertException fromStatus(int status, String body, Throwable cause) {
        String message = "upstream answered HTTP " + status + quote(body);
        if (status == 429) {
            // Retry-After is not reachable through langchain4j's HttpException; see the class comment.
            return retriable(Reason.RATE_LIMITED, message, cause);
        }
        if (status == 408) {
            return retriable(Reason.TIMEOUT, message, cause);
        }
        if (status >= 500 && status < 600) {
            return retriable(Reason.SERVER_ERROR, message, cause);
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
        for (Class<? extends Throwable> type : types) {
            Throwable found = find(chain, type);
            if (found != null) {
                return found;
            }
        }
        return null;
    }
}

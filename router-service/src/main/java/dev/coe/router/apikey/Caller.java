package dev.coe.router.apikey;

import dev.coe.router.system.ApiException;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;

import java.util.Optional;

/**
 * Who sent a {@code /v1/**} request: a client key, or nobody in open mode. Set on the request by
 * {@link ClientKeyInterceptor}; the chat endpoint asks it whether the model and the routed category are allowed, and
 * charges it the tokens the answer cost. Immutable.
 */
public final class Caller {

    static final String ATTRIBUTE = Caller.class.getName();
    private static final Caller ANONYMOUS = new Caller(null, null);

    private final ClientKey key;
    private final ClientKeys keys;

    Caller(ClientKey key, ClientKeys keys) {
        this.key = key;
        this.keys = keys;
    }

    /** The caller of {@code request}; anonymous when no key was checked (open mode, or outside {@code /v1/**}). */
    public static Caller of(HttpServletRequest request) {
        return request.getAttribute(ATTRIBUTE) instanceof Caller c ? c : ANONYMOUS;
    }

    public Optional<ClientKey> key() {
        return Optional.ofNullable(key);
    }

    /** @throws ApiException 403 when the key may not ask for {@code model} */
    public void checkModel(String model) {
        if (key != null && !key.allowsModel(model)) {
            throw forbidden("model_not_allowed", "model", "This API key may not use model '" + model + "'; it may use "
                    + key.allowedModels().stream().sorted().toList() + ".");
        }
    }

    /** @throws ApiException 403 when the key's requests may not be routed to {@code category} */
    public void checkCategory(String category) {
        if (key != null && !key.allowsCategory(category)) {
            throw forbidden("category_not_allowed", "messages", "This API key may not send requests of category '"
                    + category + "'; it may send " + key.allowedCategories().stream().sorted().toList() + ".");
        }
    }

    /**
     * For a request the classifier was too busy to classify: a key limited to categories cannot be checked without
     * one, so it is told to retry shortly rather than be answered outside its categories.
     *
     * @throws ApiException 503 with {@code Retry-After} when the key is limited to categories
     */
    public void checkUnclassified() {
        if (key != null && !key.allowedCategories().isEmpty()) {
            HttpHeaders headers = new HttpHeaders();
            headers.set(HttpHeaders.RETRY_AFTER, "1");
            throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "service_unavailable", "classifier_busy", null,
                    "The router is too busy to classify this request, and this API key may only send requests of "
                            + "categories " + key.allowedCategories().stream().sorted().toList() + "; retry shortly.", headers);
        }
    }

    /** Charges the key for an answer; a cached answer costs nothing upstream and is not charged. */
    public void charge(long tokens) {
        if (key != null) {
            keys.charge(key, tokens);
        }
    }

    private static ApiException forbidden(String code, String param, String message) {
        return new ApiException(HttpStatus.FORBIDDEN, "permission_error", code, param, message, new HttpHeaders());
    }
}

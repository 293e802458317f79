package dev.coe.router.admin;

import dev.coe.router.apikey.ClientKey;
import dev.coe.router.apikey.ClientKeys;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.net.URI;
import java.security.Principal;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Client API keys for {@code /v1/**}: create (the key is shown once, in the response), list, change, revoke. Keys are
 * not part of the routing versions: revoking one must take effect at once and never be undone by a rollback. Bodies
 * are read strictly: a misspelt limit ({@code requestPerMinute}) is refused, never dropped, since dropping it would
 * make a key without that limit.
 */
@RestController
@RequestMapping("/admin/api/keys")
class ClientKeysController {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    static final int MAX_NAME_LENGTH = 200;

    private static final JsonMapper STRICT = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private final ClientKeys keys;
    private final RoutingVersions versions;
    private final Clock clock;

    ClientKeysController(ClientKeys keys, RoutingVersions versions) {
        this.keys = keys;
        this.versions = versions;
        this.clock = Clock.systemUTC();
    }

    /** What an operator sends to create a key, and what a change is merged into. */
    record KeyRequest(String name, List<String> allowedModels, List<String> allowedCategories, Integer requestsPerMinute,
                      Integer tokensPerMinute, Long tokenBudget, Instant expiresAt) {

        static KeyRequest of(ClientKey k) {
            return new KeyRequest(k.name(), List.copyOf(k.allowedModels()), List.copyOf(k.allowedCategories()),
                    k.requestsPerMinute(), k.tokensPerMinute(), k.tokenBudget(), k.expiresAt());
        }
    }

    /** A key as the API shows it: never the key or its hash, only its prefix. */
    record KeyView(String id, String name, String prefix, Set<String> allowedModels, Set<String> allowedCategories,
                   Integer requestsPerMinute, Integer tokensPerMinute, Long tokenBudget, long tokensUsed, String createdBy,
                   Instant createdAt, Instant expiresAt, Instant revokedAt, String status) {

        static KeyView of(ClientKey k, Instant now) {
            String status = k.revoked() ? "revoked" : k.expired(now) ? "expired"
                    : k.tokenBudget() != null && k.tokensUsed() >= k.tokenBudget() ? "exhausted" : "active";
            return new KeyView(k.id(), k.name(), k.prefix() + "…", k.allowedModels(), k.allowedCategories(),
                    k.requestsPerMinute(), k.tokensPerMinute(), k.tokenBudget(), k.tokensUsed(), k.createdBy(), k.createdAt(),
                    k.expiresAt(), k.revokedAt(), status);
        }
    }

    /** The answer to a create: the only time the key itself is shown. */
    record CreatedKey(String key, KeyView details) {
    }

    @GetMapping
    List<KeyView> list() {
        Instant now = clock.instant();
        return keys.all().stream().map(k -> KeyView.of(k, now)).toList();
    }

    @GetMapping("/{id}")
    KeyView get(@PathVariable String id) {
        return view(existing(id));
    }

    @PostMapping
    ResponseEntity<CreatedKey> create(@RequestBody JsonNode body, Principal user) {
        ClientKeys.Created created = keys.create(validate(read(body), true), AdminUser.name(user));
        return ResponseEntity.created(URI.create("/admin/api/keys/" + created.stored().id()))
                .header("Cache-Control", "no-store")
                .body(new CreatedKey(created.key(), view(created.stored())));
    }

    /**
     * Changes a key's name, permissions, limits or expiry, keeping its secret: a JSON merge patch (RFC 7396), so the
     * fields sent replace the key's, a null removes a limit or an expiry, and the fields left out stay.
     */
    @PatchMapping(path = "/{id}", consumes = {"application/merge-patch+json", "application/json"})
    KeyView update(@PathVariable String id, @RequestBody JsonNode patch, Principal user) {
        ClientKey key = existing(id);
        if (key.revoked()) {
            throw new AdminException.KeyRevoked(id);
        }
        if (patch == null || !patch.isObject()) {
            throw AdminException.InvalidConfig.of("key", "required", "the body must be an object of the fields to change");
        }
        ObjectNode merged = STRICT.valueToTree(KeyRequest.of(key));
        patch.properties().forEach(field -> merged.set(field.getKey(), field.getValue()));
        // An expiry is checked only when it is sent: an expired key may be renamed without being revived.
        if (!keys.update(id, validate(read(merged), patch.has("expiresAt")), AdminUser.name(user))) {
            throw new AdminException.KeyRevoked(id);  // revoked meanwhile
        }
        return view(existing(id));
    }

    /** Revokes a key at once on this replica, and on the others within their refresh interval. */
    @DeleteMapping("/{id}")
    ResponseEntity<KeyView> revoke(@PathVariable String id, Principal user) {
        ClientKey key = existing(id);
        if (!keys.revoke(id, AdminUser.name(user)) && !key.revoked()) {
            throw new AdminException.NotFound("no client key '" + id + "'");
        }
        return ResponseEntity.status(HttpStatus.OK).body(view(existing(id)));
    }

    private ClientKey existing(String id) {
        return keys.find(id).orElseThrow(() -> new AdminException.NotFound("no client key '" + id + "'"));
    }

    private KeyView view(ClientKey key) {
        return KeyView.of(key, clock.instant());
    }

    /** A body of the wrong shape is a 422 naming the field, as a wrong value is. */
    private static KeyRequest read(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw AdminException.InvalidConfig.of("key", "required", "the body must be an object with the key's fields");
        }
        try {
            return STRICT.treeToValue(body, KeyRequest.class);
        } catch (JacksonException e) {
            String path = JsonMismatch.path(e);
            throw AdminException.InvalidConfig.of(path.isEmpty() ? "key" : path, "invalid", JsonMismatch.describe(e, ""));
        }
    }

    /** @param newExpiry whether the expiry was sent now, and so must lie in the future */
    private ClientKeys.Spec validate(KeyRequest r, boolean newExpiry) {
        List<FieldError> errors = new ArrayList<>();
        String name = r.name() == null ? "" : r.name().strip();
        if (name.isEmpty()) {
            errors.add(new FieldError("name", "required", "a key needs a name, to tell who holds it"));
        } else if (name.length() > MAX_NAME_LENGTH) {
            errors.add(new FieldError("name", "too_long", "name must be at most " + MAX_NAME_LENGTH + " characters"));
        }
        RoutingConfig live = versions.live().config();
        Set<String> models = ids("allowedModels", r.allowedModels(), errors);
        Set<String> knownModels = new LinkedHashSet<>(live.routerModels());
        if (live.expertDefinitions() != null) {
            knownModels.addAll(live.expertDefinitions().ids());
        } else {
            knownModels.addAll(live.experts());
        }
        models.stream().filter(m -> !knownModels.contains(m)).forEach(m -> errors.add(new FieldError("allowedModels",
                "unknown_model", "unknown model '" + m + "'; the router serves " + knownModels)));
        Set<String> categories = ids("allowedCategories", r.allowedCategories(), errors);
        List<String> taxonomy = live.categories().stream().map(CategoryConfig::id).toList();
        categories.stream().filter(c -> !taxonomy.contains(c)).forEach(c -> errors.add(new FieldError("allowedCategories",
                "unknown_category", "unknown category '" + c + "'; the classifier's categories are " + taxonomy)));
        if (r.requestsPerMinute() != null && r.requestsPerMinute() < 1) {
            errors.add(new FieldError("requestsPerMinute", "out_of_range", "requestsPerMinute must be at least 1 (leave it out for no limit)"));
        }
        if (r.tokensPerMinute() != null && r.tokensPerMinute() < 1) {
            errors.add(new FieldError("tokensPerMinute", "out_of_range", "tokensPerMinute must be at least 1 (leave it out for no limit)"));
        }
        if (r.tokenBudget() != null && r.tokenBudget() < 1) {
            errors.add(new FieldError("tokenBudget", "out_of_range", "tokenBudget must be at least 1 (leave it out for no budget)"));
        }
        if (newExpiry && r.expiresAt() != null && !r.expiresAt().isAfter(clock.instant())) {
            errors.add(new FieldError("expiresAt", "in_the_past", "expiresAt must be in the future, such as "
                    + clock.instant().plusSeconds(30L * 24 * 3600).truncatedTo(ChronoUnit.SECONDS)
                    + " (leave it out for a key that does not expire; revoke a key to stop it now)"));
        }
        if (!errors.isEmpty()) {
            throw new AdminException.InvalidConfig("Invalid client key", errors);
        }
        return new ClientKeys.Spec(name, models, categories, r.requestsPerMinute(), r.tokensPerMinute(), r.tokenBudget(),
                // to the millisecond, which every database keeps, so that the key reads back as it was given
                r.expiresAt() == null ? null : r.expiresAt().truncatedTo(ChronoUnit.MILLIS));
    }

    private static Set<String> ids(String field, List<String> values, List<FieldError> errors) {
        Set<String> ids = new LinkedHashSet<>();
        for (String v : values == null ? List.<String>of() : values) {
            if (v == null || !ID.matcher(v).matches()) {
                errors.add(new FieldError(field, "invalid_id", "'" + v + "' is not a model or category id"));
            } else {
                ids.add(v);
            }
        }
        return ids;
    }
}

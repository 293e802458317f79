package dev.coe.router.admin;

import dev.coe.router.apikey.ClientKey;
import dev.coe.router.apikey.ClientKeys;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.net.URI;
import java.security.Principal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Client API keys for {@code /v1/**}: create (the key is shown once, in the response), list, revoke. Keys are not part
 * of the routing versions: revoking one must take effect at once and never be undone by a rollback.
 */
@RestController
@RequestMapping("/admin/api/keys")
class ClientKeysController {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    static final int MAX_NAME_LENGTH = 200;

    private final ClientKeys keys;
    private final RoutingVersions versions;

    ClientKeysController(ClientKeys keys, RoutingVersions versions) {
        this.keys = keys;
        this.versions = versions;
    }

    record KeyRequest(String name, List<String> allowedModels, List<String> allowedCategories, Integer requestsPerMinute,
                      Integer tokensPerMinute, Long tokenBudget) {
    }

    /** A key as the API shows it: never the key or its hash, only its prefix. */
    record KeyView(String id, String name, String prefix, Set<String> allowedModels, Set<String> allowedCategories,
                   Integer requestsPerMinute, Integer tokensPerMinute, Long tokenBudget, long tokensUsed, String createdBy, Instant createdAt,
                   Instant revokedAt, String status) {

        static KeyView of(ClientKey k) {
            return new KeyView(k.id(), k.name(), k.prefix() + "…", k.allowedModels(), k.allowedCategories(),
                    k.requestsPerMinute(), k.tokensPerMinute(), k.tokenBudget(), k.tokensUsed(), k.createdBy(), k.createdAt(), k.revokedAt(),
                    k.revoked() ? "revoked" : k.tokenBudget() != null && k.tokensUsed() >= k.tokenBudget() ? "exhausted" : "active");
        }
    }

    /** The answer to a create: the only time the key itself is shown. */
    record CreatedKey(String key, KeyView details) {
    }

    @GetMapping
    List<KeyView> list() {
        return keys.all().stream().map(KeyView::of).toList();
    }

    @GetMapping("/{id}")
    KeyView get(@PathVariable String id) {
        return keys.find(id).map(KeyView::of).orElseThrow(() -> new AdminException.NotFound("no client key '" + id + "'"));
    }

    @PostMapping
    ResponseEntity<CreatedKey> create(@RequestBody KeyRequest request, Principal user) {
        ClientKeys.Created created = keys.create(validate(request), AdminUser.name(user));
        return ResponseEntity.created(URI.create("/admin/api/keys/" + created.stored().id()))
                .header("Cache-Control", "no-store")
                .body(new CreatedKey(created.key(), KeyView.of(created.stored())));
    }

    /** Revokes a key at once on this replica, and on the others within their refresh interval. */
    @DeleteMapping("/{id}")
    ResponseEntity<KeyView> revoke(@PathVariable String id, Principal user) {
        ClientKey key = keys.find(id).orElseThrow(() -> new AdminException.NotFound("no client key '" + id + "'"));
        if (!keys.revoke(id, AdminUser.name(user)) && !key.revoked()) {
            throw new AdminException.NotFound("no client key '" + id + "'");
        }
        return ResponseEntity.status(HttpStatus.OK).body(KeyView.of(keys.find(id).orElseThrow()));
    }

    private ClientKeys.Spec validate(KeyRequest r) {
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
        if (!errors.isEmpty()) {
            throw new AdminException.InvalidConfig("Invalid client key", errors);
        }
        return new ClientKeys.Spec(name, models, categories, r.requestsPerMinute(), r.tokensPerMinute(), r.tokenBudget());
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

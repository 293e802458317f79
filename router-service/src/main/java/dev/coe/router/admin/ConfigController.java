package dev.coe.router.admin;

import dev.coe.gateway.Expert;
import dev.coe.router.expert.ExpertsFile;
import dev.coe.router.routing.Router;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

import java.security.Principal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The live routing configuration, whole and by part: categories, rules (category → chain) and experts (their
 * definitions too: adding or changing one builds it when the version is applied, without a restart). Every GET
 * carries the live version's {@code ETag}; every change needs it back in {@code If-Match}, creates a new version
 * and makes it live at once, and answers with the new version and its {@code ETag}.
 */
@RestController
@RequestMapping("/admin/api")
class ConfigController {

    private final RoutingVersions versions;
    private final Router router;

    ConfigController(RoutingVersions versions, Router router) {
        this.versions = versions;
        this.router = router;
    }

    /** The live version in full. */
    record LiveConfig(long version, String author, Instant createdAt, String comment, RoutingConfig config) {
    }

    record CategoryChange(String description, Double threshold, String fallback, String cache, String comment) {
    }

    record RuleChange(List<String> chain, String comment) {
    }

    record Rule(String category, List<String> chain) {
    }

    /** {@code expert}: an {@code experts.yaml} entry in camelCase, read strictly by {@link ExpertJson}. */
    record ExpertEdit(JsonNode expert, String comment) {
    }

    record RoutableChange(Boolean routable, String comment) {
    }

    @GetMapping("/config")
    ResponseEntity<LiveConfig> config() {
        ConfigVersion live = versions.live();
        return tagged(live, new LiveConfig(live.number(), live.author(), live.createdAt(), live.comment(), live.config()));
    }

    @GetMapping("/categories")
    ResponseEntity<List<CategoryConfig>> categories() {
        ConfigVersion live = versions.live();
        return tagged(live, live.config().categories());
    }

    @GetMapping("/categories/{id}")
    ResponseEntity<CategoryConfig> category(@PathVariable String id) {
        ConfigVersion live = versions.live();
        return tagged(live, category(live.config(), id));
    }

    /**
     * Replaces the category's description, threshold (null: the default), fallback expert (null: none) and cache
     * policy (null: deterministic requests only).
     */
    @PutMapping("/categories/{id}")
    ResponseEntity<VersionView> changeCategory(@PathVariable String id, @RequestBody CategoryChange change,
                                               @RequestHeader(value = HttpHeaders.IF_MATCH, required = false) String ifMatch,
                                               Principal user) {
        return edit(user, change.comment(), ifMatch, config -> {
            category(config, id);
            return config.withCategory(id, c -> new CategoryConfig(id, change.description(), change.threshold(),
                    change.fallback(), c.chain(), change.cache()));
        });
    }

    @GetMapping("/rules")
    ResponseEntity<List<Rule>> rules() {
        ConfigVersion live = versions.live();
        return tagged(live, live.config().categories().stream().filter(CategoryConfig::hasRule)
                .map(c -> new Rule(c.id(), c.chain())).toList());
    }

    @GetMapping("/rules/{category}")
    ResponseEntity<Rule> rule(@PathVariable String category) {
        ConfigVersion live = versions.live();
        CategoryConfig c = category(live.config(), category);
        if (!c.hasRule()) {
            throw new AdminException.NotFound("category '" + category + "' has no rule; it uses the fallback chain");
        }
        return tagged(live, new Rule(c.id(), c.chain()));
    }

    /** Sets the category's chain, creating its rule if it had none. */
    @PutMapping("/rules/{category}")
    ResponseEntity<VersionView> changeRule(@PathVariable String category, @RequestBody RuleChange change,
                                           @RequestHeader(value = HttpHeaders.IF_MATCH, required = false) String ifMatch,
                                           Principal user) {
        List<String> chain = change.chain() == null ? List.of() : new ArrayList<>(change.chain());
        return edit(user, change.comment(), ifMatch, config -> {
            category(config, category);
            return config.withCategory(category, c -> new CategoryConfig(c.id(), c.description(), c.threshold(), c.fallback(),
                    chain, c.cache()));
        });
    }

    /** Removes the category's rule (and with it its threshold, fallback and cache policy): it then uses the fallback chain. */
    @DeleteMapping("/rules/{category}")
    ResponseEntity<VersionView> deleteRule(@PathVariable String category, @RequestParam(required = false) String comment,
                                           @RequestHeader(value = HttpHeaders.IF_MATCH, required = false) String ifMatch,
                                           Principal user) {
        return edit(user, comment, ifMatch, config -> {
            if (!category(config, category).hasRule()) {
                throw new AdminException.NotFound("category '" + category + "' has no rule");
            }
            return config.withCategory(category, c -> new CategoryConfig(c.id(), c.description(), null, null, null));
        });
    }

    @GetMapping("/experts")
    ResponseEntity<List<ExpertView>> experts() {
        ConfigVersion live = versions.live();
        return tagged(live, router.experts().all().stream().map(e -> ExpertView.of(e.config(), live.config())).toList());
    }

    @GetMapping("/experts/{id}")
    ResponseEntity<ExpertView> expert(@PathVariable String id) {
        ConfigVersion live = versions.live();
        Expert expert = router.experts().findExpert(id)
                .orElseThrow(() -> new AdminException.NotFound("no expert '" + id + "' in the live version"));
        return tagged(live, ExpertView.of(expert.config(), live.config()));
    }

    /** The expert as the live version defines it, in the shape of an {@code experts.yaml} entry (camelCase). */
    @GetMapping("/experts/{id}/definition")
    ResponseEntity<ExpertsFile.Entry> definition(@PathVariable String id) {
        ConfigVersion live = versions.live();
        return tagged(live, definitions(live.config()).find(id)
                .orElseThrow(() -> new AdminException.NotFound("no expert '" + id + "' in the live version")));
    }

    /**
     * Adds an expert, routable at once; the version that adds it builds it (and its resilience stack) when applied.
     * Body: {@code {"expert": {experts.yaml entry, camelCase}, "comment": "..."}}.
     */
    @PostMapping("/experts")
    ResponseEntity<VersionView> addExpert(@RequestBody ExpertEdit edit,
                                          @RequestHeader(value = HttpHeaders.IF_MATCH, required = false) String ifMatch,
                                          Principal user) {
        ExpertsFile.Entry entry = ExpertJson.entry(edit.expert(), null);
        return edit(user, edit.comment(), ifMatch, config -> {
            ExpertsFile definitions = definitions(config);
            if (definitions.find(entry.id()).isPresent()) {
                throw AdminException.InvalidConfig.of("expert.id", "duplicate_id", "expert '" + entry.id() + "' already exists; PUT "
                        + "/admin/api/experts/" + entry.id() + " changes it");
            }
            List<String> routable = new ArrayList<>(config.experts());
            if (entry.enabled() == null || entry.enabled()) {
                routable.add(entry.id());
            }
            return config.withExpertDefinitions(definitions.with(entry)).withExperts(routable);
        });
    }

    /**
     * Replaces an expert's definition. Requests already routed finish on the old one; later ones use the new one, with a
     * fresh resilience stack (its breaker starts closed).
     */
    @PutMapping("/experts/{id}")
    ResponseEntity<VersionView> changeExpert(@PathVariable String id, @RequestBody ExpertEdit edit,
                                             @RequestHeader(value = HttpHeaders.IF_MATCH, required = false) String ifMatch,
                                             Principal user) {
        ExpertsFile.Entry entry = ExpertJson.entry(edit.expert(), id);
        return edit(user, edit.comment(), ifMatch, config -> {
            ExpertsFile definitions = definitions(config);
            if (definitions.find(id).isEmpty()) {
                throw new AdminException.NotFound("no expert '" + id + "' in the live version; POST /admin/api/experts adds one");
            }
            List<String> routable = config.experts();
            if (Boolean.FALSE.equals(entry.enabled())) {
                requireUnreferenced(config, id);
                routable = routable.stream().filter(e -> !e.equals(id)).toList();
            }
            return config.withExpertDefinitions(definitions.with(entry)).withExperts(routable);
        });
    }

    /** Removes an expert; refused with 422 while a chain, a fallback or the fallback chain still names it. */
    @DeleteMapping("/experts/{id}")
    ResponseEntity<VersionView> deleteExpert(@PathVariable String id, @RequestParam(required = false) String comment,
                                             @RequestHeader(value = HttpHeaders.IF_MATCH, required = false) String ifMatch,
                                             Principal user) {
        return edit(user, comment, ifMatch, config -> {
            ExpertsFile definitions = definitions(config);
            if (definitions.find(id).isEmpty()) {
                throw new AdminException.NotFound("no expert '" + id + "' in the live version");
            }
            requireUnreferenced(config, id);
            return config.withExpertDefinitions(definitions.without(id))
                    .withExperts(config.experts().stream().filter(e -> !e.equals(id)).toList());
        });
    }

    /**
     * Lets rules name an expert ({@code true}) or takes it out of routing ({@code false}: it stays callable by name, as
     * when draining an engine); taking it out is refused with 422 while the version names it.
     */
    @PutMapping("/experts/{id}/routable")
    ResponseEntity<VersionView> routable(@PathVariable String id, @RequestBody RoutableChange change,
                                         @RequestHeader(value = HttpHeaders.IF_MATCH, required = false) String ifMatch,
                                         Principal user) {
        if (change.routable() == null) {
            throw AdminException.InvalidConfig.of("routable", "required", "routable must be true or false");
        }
        return edit(user, change.comment(), ifMatch, config -> {
            if (config.expertDefinitions() != null ? config.expertDefinitions().find(id).isEmpty()
                    : router.experts().findExpert(id).isEmpty()) {
                throw new AdminException.NotFound("no expert '" + id + "' in the live version");
            }
            boolean now = config.experts().contains(id);
            if (change.routable() == now) {
                return config;
            }
            if (!change.routable()) {
                requireUnreferenced(config, id);
                return config.withExperts(config.experts().stream().filter(e -> !e.equals(id)).toList());
            }
            List<String> next = new ArrayList<>(config.experts());
            next.add(id);
            return config.withExperts(next);
        });
    }

    private static void requireUnreferenced(RoutingConfig config, String id) {
        List<String> places = config.referencesTo(id);
        if (!places.isEmpty()) {
            throw new AdminException.InvalidConfig(places.stream().map(place -> new FieldError(place, "expert_referenced",
                    "expert '" + id + "' is still named in " + place + "; remove it there first")).toList());
        }
    }

    private static ExpertsFile definitions(RoutingConfig config) {
        if (config.expertDefinitions() == null) {
            throw AdminException.InvalidConfig.of("expertDefinitions", "not_versioned", "the live version predates "
                    + "versioned experts; restart the router so that it imports config/experts.yaml, then retry");
        }
        return config.expertDefinitions();
    }

    private ResponseEntity<VersionView> edit(Principal user, String comment, String ifMatch, UnaryOperator<RoutingConfig> change) {
        ConfigVersion saved = versions.edit(AdminUser.name(user), comment, ifMatch, change);
        return tagged(saved, VersionView.of(saved, saved.number(), versions.diff(saved)));
    }

    private static CategoryConfig category(RoutingConfig config, String id) {
        return config.findCategory(id).orElseThrow(() -> new AdminException.NotFound("no category '" + id + "'"));
    }

    static <T> ResponseEntity<T> tagged(ConfigVersion live, T body) {
        return ResponseEntity.ok().eTag(RoutingVersions.etag(live.number())).body(body);
    }
}

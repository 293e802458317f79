package dev.coe.router.admin;

import dev.coe.gateway.Expert;
import dev.coe.gateway.ExpertRegistry;
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

import java.security.Principal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The live routing configuration, whole and by part: categories, rules (category → chain) and experts. Every GET
 * carries the live version's {@code ETag}; every change needs it back in {@code If-Match}, creates a new version
 * and makes it live at once, and answers with the new version and its {@code ETag}.
 */
@RestController
@RequestMapping("/admin/api")
class ConfigController {

    private final RoutingVersions versions;
    private final ExpertRegistry experts;

    ConfigController(RoutingVersions versions, ExpertRegistry experts) {
        this.versions = versions;
        this.experts = experts;
    }

    /** The live version in full. */
    record LiveConfig(long version, String author, Instant createdAt, String comment, RoutingConfig config) {
    }

    record CategoryChange(String description, Double threshold, String fallback, String comment) {
    }

    record RuleChange(List<String> chain, String comment) {
    }

    record Rule(String category, List<String> chain) {
    }

    record ExpertChange(String id, String comment) {
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

    /** Replaces the category's description, threshold (null: the default) and fallback expert (null: none). */
    @PutMapping("/categories/{id}")
    ResponseEntity<VersionView> changeCategory(@PathVariable String id, @RequestBody CategoryChange change,
                                               @RequestHeader(value = HttpHeaders.IF_MATCH, required = false) String ifMatch,
                                               Principal user) {
        return edit(user, change.comment(), ifMatch, config -> {
            category(config, id);
            return config.withCategory(id, c -> new CategoryConfig(id, change.description(), change.threshold(),
                    change.fallback(), c.chain()));
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
            return config.withCategory(category, c -> new CategoryConfig(c.id(), c.description(), c.threshold(), c.fallback(), chain));
        });
    }

    /** Removes the category's rule (and with it its threshold and fallback): it then uses the fallback chain. */
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
        return tagged(live, experts.all().stream().map(e -> ExpertView.of(e.config(), live.config())).toList());
    }

    @GetMapping("/experts/{id}")
    ResponseEntity<ExpertView> expert(@PathVariable String id) {
        ConfigVersion live = versions.live();
        Expert expert = experts.findExpert(id).orElseThrow(() -> new AdminException.NotFound("no expert '" + id + "' in experts.yaml"));
        return tagged(live, ExpertView.of(expert.config(), live.config()));
    }

    /** Lets rules name an expert of {@code experts.yaml} again. */
    @PostMapping("/experts")
    ResponseEntity<VersionView> addExpert(@RequestBody ExpertChange change,
                                          @RequestHeader(value = HttpHeaders.IF_MATCH, required = false) String ifMatch,
                                          Principal user) {
        return edit(user, change.comment(), ifMatch, config -> {
            if (config.experts().contains(change.id())) {
                throw AdminException.InvalidConfig.of("id", "duplicate_id", "expert '" + change.id() + "' is already routable");
            }
            List<String> next = new ArrayList<>(config.experts());
            next.add(change.id());
            return config.withExperts(next);
        });
    }

    /**
     * Takes an expert out of routing (it stays in {@code experts.yaml} and callable by name); refused with 422 while a
     * chain, a fallback or the fallback chain still names it.
     */
    @DeleteMapping("/experts/{id}")
    ResponseEntity<VersionView> deleteExpert(@PathVariable String id, @RequestParam(required = false) String comment,
                                             @RequestHeader(value = HttpHeaders.IF_MATCH, required = false) String ifMatch,
                                             Principal user) {
        return edit(user, comment, ifMatch, config -> {
            if (!config.experts().contains(id)) {
                throw new AdminException.NotFound("expert '" + id + "' is not routable in the live version");
            }
            List<String> places = config.referencesTo(id);
            if (!places.isEmpty()) {
                throw new AdminException.InvalidConfig(places.stream().map(place -> new FieldError(place, "expert_referenced",
                        "expert '" + id + "' is still named in " + place + "; remove it there first")).toList());
            }
            return config.withExperts(config.experts().stream().filter(e -> !e.equals(id)).toList());
        });
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

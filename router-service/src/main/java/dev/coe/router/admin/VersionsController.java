package dev.coe.router.admin;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.net.URI;
import java.security.Principal;
import java.util.List;

/**
 * The history of the routing configuration: list, view, diff and export any version, save a whole configuration (live
 * or as a draft), and apply an earlier version or a draft (a roll-back, itself a new version).
 */
@RestController
@RequestMapping("/admin/api/versions")
class VersionsController {

    static final MediaType YAML = MediaType.parseMediaType("application/yaml");

    private final RoutingVersions versions;

    VersionsController(RoutingVersions versions) {
        this.versions = versions;
    }

    /** A whole configuration to save; {@code draft: true} keeps it from going live. */
    record Submission(RoutingConfig config, String comment, Boolean draft) {
        boolean isDraft() {
            return Boolean.TRUE.equals(draft);
        }
    }

    record Comment(String comment) {
    }

    record Diff(long from, long to, List<ConfigDiff.Change> changes) {
    }

    @GetMapping
    ResponseEntity<List<VersionView>> history() {
        ConfigVersion live = versions.live();
        return ConfigController.tagged(live, versions.history().stream()
                .map(v -> VersionView.of(v, live.number(), versions.diff(v))).toList());
    }

    @GetMapping("/{number}")
    ResponseEntity<VersionView.Detail> version(@PathVariable long number) {
        ConfigVersion live = versions.live();
        ConfigVersion v = versions.version(number);
        return ConfigController.tagged(live, VersionView.Detail.of(v, live.number(), versions.diff(v)));
    }

    /** What changed from version {@code from} (default: this version's parent) to version {@code number}. */
    @GetMapping("/{number}/diff")
    Diff diff(@PathVariable long number, @RequestParam(required = false) Long from) {
        ConfigVersion to = versions.version(number);
        Long base = from != null ? from : to.parent();
        if (base == null) {
            return new Diff(0, number, versions.diff(to));
        }
        return new Diff(base, number, ConfigDiff.between(versions.version(base).config(), to.config()));
    }

    /** The version as {@code config/routing.yaml}; it loads through the same loader as the file. */
    @GetMapping({"/{number}/export", "/{number}/export/routing.yaml"})
    ResponseEntity<String> exportRouting(@PathVariable long number) {
        ConfigVersion v = versions.version(number);
        return yaml("routing.yaml", RoutingYaml.writeRouting(v.config(), header(v)));
    }

    /** The version's category descriptions as {@code config/categories.yaml}. */
    @GetMapping("/{number}/export/categories.yaml")
    ResponseEntity<String> exportCategories(@PathVariable long number) {
        ConfigVersion v = versions.version(number);
        return yaml("categories.yaml", RoutingYaml.writeCategories(v.config(), header(v)));
    }

    /** The version's experts as {@code config/experts.yaml} (API keys appear only as the names of their variables). */
    @GetMapping("/{number}/export/experts.yaml")
    ResponseEntity<String> exportExperts(@PathVariable long number) {
        ConfigVersion v = versions.version(number);
        return yaml("experts.yaml", RoutingYaml.writeExperts(v.config(), header(v)).orElseThrow(() -> new AdminException.NotFound(
                "version " + number + " predates versioned experts; its experts were those of config/experts.yaml then")));
    }

    /** Saves a whole configuration; a live one needs {@code If-Match}, a draft does not. */
    @PostMapping
    ResponseEntity<VersionView> submit(@RequestBody Submission submission,
                                       @RequestHeader(value = HttpHeaders.IF_MATCH, required = false) String ifMatch,
                                       Principal user) {
        if (submission.config() == null) {
            throw new AdminException.BadRequest("the body needs a 'config'");
        }
        ConfigVersion saved = versions.submit(submission.config(), AdminUser.name(user), submission.comment(),
                submission.isDraft(), ifMatch);
        long live = submission.isDraft() ? versions.live().number() : saved.number();
        return ResponseEntity.created(URI.create("/admin/api/versions/" + saved.number()))
                .eTag(RoutingVersions.etag(live))
                .body(VersionView.of(saved, live, versions.diff(saved)));
    }

    /** Makes version {@code number} live again, as a new version: applies a draft, or rolls back. */
    @PostMapping({"/{number}/apply", "/{number}/rollback"})
    ResponseEntity<VersionView> apply(@PathVariable long number, @RequestBody(required = false) Comment comment,
                                      @RequestHeader(value = HttpHeaders.IF_MATCH, required = false) String ifMatch,
                                      Principal user) {
        ConfigVersion saved = versions.apply(number, AdminUser.name(user), comment == null ? null : comment.comment(), ifMatch);
        return ConfigController.tagged(saved, VersionView.of(saved, saved.number(), versions.diff(saved)));
    }

    private static String header(ConfigVersion v) {
        return "Exported from CoE Router routing version " + v.number() + (v.draft() ? " (draft)" : "") + ", saved by "
                + v.author() + " at " + v.createdAt() + (v.comment().isEmpty() ? "" : "\n" + v.comment());
    }

    private static ResponseEntity<String> yaml(String file, String body) {
        return ResponseEntity.ok().contentType(YAML)
                .header(HttpHeaders.CONTENT_DISPOSITION, "inline; filename=\"" + file + "\"").body(body);
    }
}

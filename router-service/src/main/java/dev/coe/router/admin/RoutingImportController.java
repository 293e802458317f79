package dev.coe.router.admin;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.net.URI;
import java.security.Principal;

/**
 * {@code POST /admin/api/versions/import}: a {@code routing.yaml} (e.g. the mapping optimizer's draft) becomes a draft
 * version, answered with its diff against the live version; {@code ?dryRun=true} only validates and diffs. Apply it
 * with {@code POST /admin/api/versions/{n}/apply} and the live {@code ETag}.
 */
@RestController
@RequestMapping("/admin/api/versions")
class RoutingImportController {

    private final RoutingImport imports;

    RoutingImportController(RoutingVersions versions) {
        this.imports = new RoutingImport(versions);
    }

    @PostMapping(value = "/import", consumes = {"application/yaml", "application/x-yaml", "text/yaml", "text/plain"})
    ResponseEntity<RoutingImport.Result> importDraft(@RequestBody String routingYaml,
                                                     @RequestParam(required = false) String comment,
                                                     @RequestParam(defaultValue = "false") boolean dryRun,
                                                     Principal user) {
        RoutingImport.Result result = imports.importDraft(routingYaml, AdminUser.name(user), comment, dryRun);
        if (dryRun) {
            return ResponseEntity.ok().eTag(RoutingVersions.etag(result.live())).body(result);
        }
        return ResponseEntity.created(URI.create("/admin/api/versions/" + result.draft().number()))
                .eTag(RoutingVersions.etag(result.live())).body(result);
    }
}

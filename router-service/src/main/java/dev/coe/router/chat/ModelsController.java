package dev.coe.router.chat;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.coe.gateway.Expert;
import dev.coe.router.routing.Router;
import dev.coe.router.system.ApiException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code GET /v1/models}: the router models (e.g. {@code auto}) first, then every expert, in
 * OpenAI's list format. {@code owned_by} says which is which.
 */
@RestController
class ModelsController {

    private final Router router;
    private final long created = System.currentTimeMillis() / 1000;

    ModelsController(Router router) {
        this.router = router;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Model(String id, String object, long created, String owned_by, String description) {
    }

    record ModelList(String object, List<Model> data) {
    }

    @GetMapping("/v1/models")
    ModelList list() {
        List<Model> models = new ArrayList<>();
        Router.Live live = router.live();
        live.table().routerModels().stream().sorted().forEach(id -> models.add(new Model(id, "model", created,
                "coe-router", "Routed by CoE: classify the prompt, then answer with the best expert for its category")));
        for (Expert expert : live.experts().all()) {
            models.add(model(expert));
        }
        return new ModelList("list", models);
    }

    @GetMapping("/v1/models/{id}")
    Model get(@PathVariable String id) {
        if (router.table().isRouterModel(id)) {
            return list().data().stream().filter(m -> m.id().equals(id)).findFirst().orElseThrow();
        }
        return router.experts().findExpert(id).map(this::model).orElseThrow(() -> ApiException.modelNotFound(id));
    }

    private Model model(Expert expert) {
        String owner = "coe-expert:" + expert.config().provider().configName();
        String description = expert.config().description() + (expert.simulated() ? " [simulated]" : "");
        return new Model(expert.id().value(), "model", created, owner, description.isBlank() ? null : description.trim());
    }
}

package dev.coe.router.admin;

import dev.coe.classifier.CategoryClassifier;
import dev.coe.classifier.Classification;
import dev.coe.classifier.Turn;
import dev.coe.gateway.ExpertId;
import dev.coe.router.routing.ClassifierBusyException;
import dev.coe.router.routing.RoutingTable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code POST /admin/api/explain}: a dry run. Classifies a prompt or a conversation once, and shows the chain it would
 * get under the live version and, when asked, under any other version (typically a draft), without calling an expert.
 */
@RestController
class ExplainController {

    private final CategoryClassifier classifier;
    private final RoutingVersions versions;

    ExplainController(CategoryClassifier classifier, RoutingVersions versions) {
        this.classifier = classifier;
        this.versions = versions;
    }

    /**
     * @param prompt   a single user message; or
     * @param messages a conversation in OpenAI's shape ({@code role}, {@code content} as text or text parts)
     * @param version  a version to compare with the live one (optional)
     */
    record Request(String prompt, List<Message> messages, Long version) {
    }

    record Message(String role, JsonNode content) {
    }

    /**
     * How the conversation routes under one version. {@code threshold} is null when the category has no rule;
     * {@code cache} is the cache policy the request would run with.
     */
    record Route(long version, boolean draft, Double threshold, boolean uncertain, String reason, List<String> chain,
                 String cache) {
    }

    record Explanation(String category, double confidence, Map<String, Double> distribution, Route live, Route candidate) {
    }

    @PostMapping("/admin/api/explain")
    Explanation explain(@RequestBody Request request) {
        Classification c;
        try {
            c = classifier.classify(conversation(request));
        } catch (ClassifierBusyException busy) {
            throw new AdminException.Unavailable(busy.getMessage() + "; retry shortly");
        } catch (IllegalArgumentException nothingToClassify) {
            // The classifier's word for a conversation without text (it also counts zero-width and control characters).
            throw new AdminException.BadRequest("nothing to classify: " + nothingToClassify.getMessage());
        }
        Route live = route(versions.live(), c);
        Route candidate = request.version() == null ? null : route(versions.version(request.version()), c);
        return new Explanation(c.category(), c.confidence(), c.distribution(), live, candidate);
    }

    private Route route(ConfigVersion version, Classification c) {
        RoutingTable table = versions.compile(version.config());
        RoutingTable.Selection selection = table.select(c);
        Double threshold = table.findRule(c.category()).map(r -> r.threshold()).orElse(null);
        return new Route(version.number(), version.draft(), threshold, threshold != null && c.isUncertain(threshold),
                selection.reason().name().toLowerCase(Locale.ROOT), selection.chain().stream().map(ExpertId::toString).toList(),
                selection.cache().configName());
    }

    private static List<Turn> conversation(Request request) {
        boolean noMessages = request.messages() == null || request.messages().isEmpty();
        if (request.prompt() == null && noMessages) {
            throw new AdminException.BadRequest("nothing to classify: send 'prompt' or a non-empty 'messages'");
        }
        if (request.prompt() != null && !noMessages) {
            throw new AdminException.BadRequest("send either 'prompt' or 'messages', not both");
        }
        List<Turn> turns = new ArrayList<>();
        if (request.prompt() != null) {
            turns.add(Turn.user(request.prompt()));
        } else {
            for (int i = 0; i < request.messages().size(); i++) {
                Message m = request.messages().get(i);
                if (m == null) {
                    throw new AdminException.BadRequest("messages[" + i + "] must be an object with 'role' and 'content'");
                }
                turns.add(new Turn(role(m.role()), text(m.content())));
            }
        }
        return turns;
    }

    private static Turn.Role role(String role) {
        return switch (role == null ? "" : role) {
            case "system", "developer" -> Turn.Role.SYSTEM;
            case "user" -> Turn.Role.USER;
            case "assistant" -> Turn.Role.ASSISTANT;
            case "tool" -> Turn.Role.TOOL;
            default -> throw new AdminException.BadRequest("unknown message role '" + role
                    + "'; expected system, developer, user, assistant or tool");
        };
    }

    private static String text(JsonNode content) {
        if (content == null || content.isNull()) {
            return "";
        }
        if (content.isString()) {
            return content.asString();
        }
        if (content.isArray()) {
            StringBuilder text = new StringBuilder();
            for (JsonNode part : content) {
                if (part.path("type").asString("").equals("text")) {
                    text.append(text.isEmpty() ? "" : "\n").append(part.path("text").asString(""));
                }
            }
            return text.toString();
        }
        throw new AdminException.BadRequest("message content must be a string or an array of text parts");
    }
}

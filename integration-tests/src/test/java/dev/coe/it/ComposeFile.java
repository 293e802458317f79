package dev.coe.it;

import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The repository's {@code docker-compose.yml}, read as YAML, with the few look-ups the deployment checks need.
 * Values keep their {@code ${VAR...}} references; {@link #withDefaults(String)} resolves them as compose would with
 * no {@code .env}. Immutable.
 */
record ComposeFile(JsonNode root) {

    static final String PATH = "docker-compose.yml";

    /** {@code ${NAME}}, {@code ${NAME:-default}}, {@code ${NAME-default}}, {@code ${NAME:?error}}, {@code ${NAME?error}}. */
    static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?}");

    static ComposeFile read() {
        return new ComposeFile(DeploymentFiles.yaml(PATH));
    }

    Set<String> serviceNames() {
        return new TreeSet<>(root.get("services").propertyNames());
    }

    JsonNode service(String name) {
        JsonNode service = root.get("services").get(name);
        if (service == null) {
            throw new AssertionError(PATH + " has no service '" + name + "', only " + serviceNames());
        }
        return service;
    }

    /** The service's environment, from either the map or the list form; values as written. */
    Map<String, String> environment(String service) {
        Map<String, String> env = new LinkedHashMap<>();
        JsonNode node = service(service).path("environment");
        if (node.isArray()) {
            for (JsonNode entry : node) {
                String[] kv = entry.asString().split("=", 2);
                env.put(kv[0], kv.length > 1 ? kv[1] : null);
            }
        } else {
            node.properties().forEach(e -> env.put(e.getKey(), e.getValue().isNull() ? null : e.getValue().asString()));
        }
        return env;
    }

    /** Short-syntax strings of a list-valued key such as {@code ports}, {@code volumes} or {@code command}. */
    List<String> strings(String service, String key) {
        List<String> values = new ArrayList<>();
        service(service).path(key).forEach(v -> values.add(v.asString()));
        return values;
    }

    /** Where the bind mount of {@code source} (as written, e.g. {@code ./deploy/nginx/nginx.conf}) lands in the service. */
    String mountTarget(String service, String source) {
        return strings(service, "volumes").stream().map(v -> v.split(":"))
                .filter(parts -> parts[0].equals(source)).map(parts -> parts[1]).findFirst()
                .orElseThrow(() -> new AssertionError("service '" + service + "' mounts no " + source));
    }

    /** Every variable the file interpolates, with whether it has a default (secrets have none and must come from .env). */
    Map<String, Boolean> variables() {
        Map<String, Boolean> variables = new LinkedHashMap<>();
        Matcher m = VARIABLE.matcher(DeploymentFiles.text(PATH).replaceAll("(?m)^\\s*#.*$", ""));
        while (m.find()) {
            boolean hasDefault = m.group(2) != null && m.group(2).endsWith("-");
            variables.merge(m.group(1), hasDefault, Boolean::logicalAnd);
        }
        return variables;
    }

    /** {@code value} as compose resolves it when no variable is set: defaults filled in, everything else empty. */
    static String withDefaults(String value) {
        return VARIABLE.matcher(value).replaceAll(m -> Matcher.quoteReplacement(
                m.group(2) != null && m.group(2).endsWith("-") ? m.group(3) : ""));
    }
}

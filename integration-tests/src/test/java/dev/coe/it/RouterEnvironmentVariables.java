package dev.coe.it;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.core.type.filter.AnnotationTypeFilter;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Which environment variables the router reads, found where it reads them: {@code ${NAME...}} placeholders in its
 * {@code application*.yaml} and in {@code config/*.yaml}, the experts' {@code api-key-env}, and the properties that
 * Spring binds from the environment by relaxed binding: the router's own {@code @ConfigurationProperties} records
 * (found by scanning {@code dev.coe}) and Spring Boot's documented properties (its configuration metadata). Whether a
 * variable binds to a property is decided by Spring's own environment mapping. Immutable once discovered.
 */
final class RouterEnvironmentVariables {

    private static final Path APP_RESOURCES = DeploymentFiles.path("router-service/src/main/resources");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)");
    private static final Pattern API_KEY_ENV = Pattern.compile("api-key-env:\\s*([A-Za-z_][A-Za-z0-9_]*)");

    private final Set<String> placeholders;
    private final Set<ConfigurationPropertyName> properties;

    private RouterEnvironmentVariables(Set<String> placeholders, Set<ConfigurationPropertyName> properties) {
        this.placeholders = placeholders;
        this.properties = properties;
    }

    static RouterEnvironmentVariables discover() {
        Set<String> placeholders = new TreeSet<>();
        for (Path yaml : yamlFiles()) {
            String text = uncommented(yaml);
            collect(PLACEHOLDER.matcher(text), placeholders);
            collect(API_KEY_ENV.matcher(text), placeholders);
        }
        Set<ConfigurationPropertyName> properties = new HashSet<>();
        ownProperties().forEach(p -> properties.add(ConfigurationPropertyName.of(p)));
        bootProperties().stream().filter(ConfigurationPropertyName::isValid).map(ConfigurationPropertyName::of)
                .forEach(properties::add);
        return new RouterEnvironmentVariables(placeholders, properties);
    }

    /** Whether the router reads {@code name}: a placeholder names it, or Spring binds it to a known property. */
    boolean reads(String name) {
        return placeholders.contains(name) || bindsToProperty(name);
    }

    Set<String> placeholders() {
        return placeholders;
    }

    private boolean bindsToProperty(String name) {
        // Named as the real one, since Spring applies its environment-variable mapping only to a source of that name.
        ConfigurationPropertySource env = ConfigurationPropertySource.from(new SystemEnvironmentPropertySource(
                StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, Map.of(name, "value")));
        return properties.stream().anyMatch(p -> env.getConfigurationProperty(p) != null);
    }

    private static List<Path> yamlFiles() {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> app = Files.list(APP_RESOURCES); Stream<Path> config = Files.list(RouterUnderTest.REPO_CONFIG)) {
            app.filter(p -> p.getFileName().toString().matches("application.*\\.ya?ml")).forEach(files::add);
            config.filter(p -> p.getFileName().toString().matches(".*\\.ya?ml")).forEach(files::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }

    /** The file without its comment lines, which may show placeholders only as examples. */
    private static String uncommented(Path yaml) {
        try {
            return Files.readString(yaml).replaceAll("(?m)^\\s*#.*$", "");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void collect(Matcher m, Set<String> into) {
        while (m.find()) {
            into.add(m.group(1));
        }
    }

    /** {@code prefix.component} of every {@code @ConfigurationProperties} record of the router and its libraries. */
    private static List<String> ownProperties() {
        ClassPathScanningCandidateComponentProvider scanner = new ClassPathScanningCandidateComponentProvider(false);
        scanner.addIncludeFilter(new AnnotationTypeFilter(ConfigurationProperties.class));
        List<String> names = new ArrayList<>();
        scanner.findCandidateComponents("dev.coe").forEach(candidate -> {
            try {
                Class<?> type = Class.forName(candidate.getBeanClassName());
                ConfigurationProperties annotation = type.getAnnotation(ConfigurationProperties.class);
                String prefix = annotation.prefix().isEmpty() ? annotation.value() : annotation.prefix();
                if (type.isRecord()) {
                    for (RecordComponent c : type.getRecordComponents()) {
                        names.add(prefix + "." + kebab(c.getName()));
                    }
                }
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException(e);
            }
        });
        return names;
    }

    /** The names in every {@code META-INF/spring-configuration-metadata.json} on the classpath (Spring Boot's jars). */
    private static List<String> bootProperties() {
        List<String> names = new ArrayList<>();
        try {
            String pattern = "classpath*:META-INF/spring-configuration-metadata.json";
            for (Resource r : new PathMatchingResourcePatternResolver().getResources(pattern)) {
                try (InputStream in = r.getInputStream()) {
                    for (JsonNode p : JsonMapper.builder().build().readTree(in).path("properties")) {
                        names.add(p.path("name").asString());
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return names;
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase();
    }
}

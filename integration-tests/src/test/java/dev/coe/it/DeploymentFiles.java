package dev.coe.it;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads the repository's deployment files (docker-compose.yml, the Dockerfile, deploy/**) by their path in the repository. */
final class DeploymentFiles {

    /** The repository root, the parent of the {@code config/} every test router reads. */
    static final Path REPO = RouterUnderTest.REPO_CONFIG.getParent();

    private static final YAMLMapper YAML = YAMLMapper.builder().build();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private DeploymentFiles() {
    }

    static Path path(String relative) {
        return REPO.resolve(relative).normalize();
    }

    static String text(String relative) {
        try {
            return Files.readString(path(relative));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode yaml(String relative) {
        return YAML.readTree(text(relative));
    }

    static JsonNode json(String relative) {
        return JSON.readTree(text(relative));
    }
}

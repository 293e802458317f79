package dev.coe.router.system;

import org.springframework.core.env.Environment;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads the user-edited files under {@code config/}, resolving {@code ${VAR:default}} placeholders
 * against the Spring environment so that deployments can point experts elsewhere without editing
 * the files (for example {@code base-url: ${VLLM_BASE_URL:http://localhost:8000/v1}}).
 */
public final class ConfigFiles {

    private final Path dir;
    private final Environment environment;

    public ConfigFiles(Path dir, Environment environment) {
        this.dir = dir;
        this.environment = environment;
    }

    public Path dir() {
        return dir;
    }

    public Path resolve(String name) {
        return dir.resolve(name);
    }

    /**
     * @throws IllegalStateException naming the file when it is missing or unreadable
     */
    public String read(String name) {
        Path file = resolve(name);
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException("config file " + file.toAbsolutePath().normalize()
                    + " not found; set coe.config-dir (env COE_CONFIG_DIR) to the directory holding it");
        }
        try {
            return environment.resolvePlaceholders(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read config file " + file, e);
        }
    }
}

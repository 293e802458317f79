package dev.coe.classifier;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where tests find the project's config directory and the shared benchmark data. */
public final class TestPaths {

    private TestPaths() {
    }

    /** The module directory: Surefire sets {@code basedir}; an IDE usually runs in the module. */
    public static Path moduleDir() {
        return Path.of(System.getProperty("basedir", System.getProperty("user.dir"))).toAbsolutePath().normalize();
    }

    /** {@code config/} at the project root (one level above this module). */
    public static Path configDir() {
        Path beside = moduleDir().resolveSibling("config");
        return Files.isDirectory(beside) ? beside : moduleDir().resolve("config");
    }

    /**
     * The shared benchmark data: system property {@code coe.shared.data} (the parent pom passes
     * it to Surefire), else {@code ../shared/data} relative to the project root.
     */
    public static Path sharedDataDir() {
        String configured = System.getProperty("coe.shared.data");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured).toAbsolutePath().normalize();
        }
        return moduleDir().getParent().resolve("../shared/data").normalize();
    }
}

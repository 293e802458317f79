package dev.coe.it;

import dev.coe.router.RouterApplication;
import dev.coe.gateway.resilience.GatewayClock;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The real router application started in this JVM on a random port, against a config directory written
 * by the test. Close it to stop it.
 */
final class RouterUnderTest implements AutoCloseable {

    /** The repository's own config dir, whose taxonomy and classifier examples every test router uses. */
    static final Path REPO_CONFIG = Path.of(System.getProperty("coe.repo.config", "../config")).toAbsolutePath().normalize();

    private final ConfigurableApplicationContext context;
    private final Path configDir;

    private RouterUnderTest(ConfigurableApplicationContext context, Path configDir) {
        this.context = context;
        this.configDir = configDir;
    }

    /** {@code first} followed by {@code rest}: a store's properties and a test's own, for {@link #start}. */
    static String[] with(String[] first, String... rest) {
        String[] all = new String[first.length + rest.length];
        System.arraycopy(first, 0, all, 0, first.length);
        System.arraycopy(rest, 0, all, first.length, rest.length);
        return all;
    }

    /**
     * Writes {@code experts.yaml} and {@code routing.yaml} into a fresh directory beside a copy of the
     * repository's taxonomy and classifier examples, and starts the router on it.
     */
    static RouterUnderTest start(String expertsYaml, String routingYaml, String... properties) {
        return start(expertsYaml, routingYaml, null, properties);
    }

    /**
     * As {@link #start(String, String, String...)}, with {@code clock} (when not null) as the gateway's clock, so that
     * a test drives deadlines, timeouts, backoff and the breakers' waits instead of sleeping.
     */
    static RouterUnderTest start(String expertsYaml, String routingYaml, GatewayClock clock, String... properties) {
        Path dir = writeConfig(expertsYaml, routingYaml);
        List<String> args = new ArrayList<>(List.of("--server.port=0", "--coe.config-dir=" + dir,
                "--spring.main.banner-mode=off"));
        args.addAll(defaultDataDir(properties));
        for (String p : properties) {
            args.add("--" + p);
        }
        SpringApplicationBuilder builder = new SpringApplicationBuilder(RouterApplication.class);
        if (clock != null) {
            builder.initializers(c -> c.getBeanFactory().registerSingleton("gatewayClock", clock));
        }
        ConfigurableApplicationContext context = builder.run(args.toArray(String[]::new));
        return new RouterUnderTest(context, dir);
    }

    /** Starts the router on the repository's own {@code config/}, as the README's run command does. */
    static RouterUnderTest startWithRepoConfig(String... properties) {
        List<String> args = new ArrayList<>(List.of("--server.port=0", "--coe.config-dir=" + REPO_CONFIG));
        args.addAll(defaultDataDir(properties));
        for (String p : properties) {
            args.add("--" + p);
        }
        return new RouterUnderTest(new SpringApplicationBuilder(RouterApplication.class).run(args.toArray(String[]::new)), REPO_CONFIG);
    }

    /**
     * A fresh data dir (the admin API's version history) unless the test chose one, so that no test reads versions
     * another left behind and nothing is written into the build directory's {@code data/}.
     */
    private static List<String> defaultDataDir(String... properties) {
        for (String p : properties) {
            if (p.startsWith("coe.data-dir=") || p.startsWith("spring.datasource.url=")) {
                return List.of();
            }
        }
        try {
            return List.of("--coe.data-dir=" + Files.createTempDirectory("coe-it-data"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path writeConfig(String expertsYaml, String routingYaml) {
        try {
            Path dir = Files.createTempDirectory("coe-it-config");
            Files.writeString(dir.resolve("experts.yaml"), expertsYaml);
            Files.writeString(dir.resolve("routing.yaml"), routingYaml);
            Files.copy(REPO_CONFIG.resolve("categories.yaml"), dir.resolve("categories.yaml"));
            Path classifier = Files.createDirectories(dir.resolve("classifier"));
            try (Stream<Path> files = Files.list(REPO_CONFIG.resolve("classifier"))) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    Files.copy(f, classifier.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    int port() {
        return Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
    }

    String baseUrl() {
        return "http://127.0.0.1:" + port();
    }

    <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    Path configDir() {
        return configDir;
    }

    @Override
    public void close() {
        context.close();
    }
}

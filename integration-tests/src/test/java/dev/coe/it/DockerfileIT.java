package dev.coe.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.stream.Stream;

import javax.tools.ToolProvider;

import static dev.coe.it.StubbedRouter.ROUTER;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code router-service/Dockerfile} against what it builds on, without Docker: the jar its COPY picks is the one the
 * Maven build produces, its extract command really splits that jar into the layers the runtime stage copies, the
 * entry point's class is in them, and its health check, run as the image runs it, passes on a real router (and fails
 * where it should).
 */
class DockerfileIT {

    private static final String PATH = "router-service/Dockerfile";
    private static final Path JAVA = Path.of(System.getProperty("java.home"), "bin", "java");

    private final Dockerfile dockerfile = Dockerfile.read(PATH);

    @Test
    void should_copy_the_executable_jar_the_maven_build_produces_when_building_the_image() throws IOException {
        // given: the build stage copies the repository into its WORKDIR and builds there
        String workdir = dockerfile.stage("build").only("WORKDIR").words().getFirst() + "/";

        // when
        Path jar = builtJar(workdir);

        // then: a Spring Boot executable jar with the layers index that the extract command needs
        try (JarFile jarFile = new JarFile(jar.toFile())) {
            assertThat(jarFile.getManifest().getMainAttributes().getValue("Main-Class"))
                    .isEqualTo("org.springframework.boot.loader.launch.JarLauncher");
            assertThat(jarFile.getEntry("BOOT-INF/layers.idx")).as("layers index of " + jar).isNotNull();
        }
    }

    @Test
    void should_find_every_copied_layer_and_the_launcher_when_the_extract_command_runs_on_the_real_jar(@TempDir Path tmp)
            throws Exception {
        // given
        Dockerfile extract = dockerfile.stage("extract");
        String workdir = extract.only("WORKDIR").words().getFirst() + "/";
        Dockerfile.Instruction copyJar = extract.only("COPY");
        String jarInStage = copyJar.operands().getLast();
        List<String> command = new ArrayList<>(extract.only("RUN").words());
        int destination = command.indexOf("--destination") + 1;
        assertThat(destination).as("extract command names its --destination").isPositive();
        String extractedDir = workdir + command.get(destination);

        // when: the RUN line as written, on the jar the build produces, into a temporary directory
        command.set(0, JAVA.toString());
        String jar = builtJar(dockerfile.stage("build").only("WORKDIR").words().getFirst() + "/").toString();
        command.replaceAll(w -> w.equals(jarInStage) ? jar : w);
        command.set(destination, tmp.resolve("extracted").toString());
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();

        // then: the runtime stage copies each extracted layer, and nothing else is left behind
        List<Path> copied = new ArrayList<>();
        for (Dockerfile.Instruction copy : dockerfile.runtime().all("COPY")) {
            String source = copy.operands().getFirst();
            if ("extract".equals(copy.option("from"))) {
                assertThat(source).startsWith(extractedDir + "/");
                Path layer = tmp.resolve("extracted").resolve(source.substring(extractedDir.length() + 1));
                assertThat(layer).as(copy.arguments()).isDirectory();
                copied.add(layer.normalize());
            }
        }
        try (Stream<Path> layers = Files.list(tmp.resolve("extracted"))) {
            assertThat(copied).containsExactlyInAnyOrderElementsOf(layers.map(Path::normalize).toList());
        }
        // and the entry point's main class is in one of them (they are all copied into the same WORKDIR)
        List<String> entrypoint = dockerfile.only("ENTRYPOINT").words();
        String mainClass = entrypoint.getLast().replace('.', '/') + ".class";
        assertThat(copied).anySatisfy(layer -> assertThat(layer.resolve(mainClass)).isRegularFile());
    }

    @Test
    void should_pass_on_a_real_router_and_fail_on_a_missing_endpoint_when_the_health_check_runs_as_in_the_image(
            @TempDir Path tmp) throws Exception {
        // given: HEALTHCHECK ... CMD ["java", ..., "-cp", dir, class, url]
        List<String> check = healthCheckCommand();
        String classDir = check.get(check.indexOf("-cp") + 1);
        String className = check.get(check.indexOf("-cp") + 2);
        URI url = URI.create(check.get(check.indexOf("-cp") + 3));
        // the class is compiled from its source in the build stage and copied to the directory on the class path
        Path source = compiledHealthCheckSource(className);
        assertThat(dockerfile.runtime().all("COPY")).anySatisfy(copy -> {
            assertThat(copy.option("from")).isEqualTo("build");
            assertThat(copy.operands().getLast().replaceAll("/$", "")).isEqualTo(classDir);
        });
        // it asks the port the router listens on in the image
        assertThat(url.getPort()).isEqualTo(Integer.parseInt(dockerfile.runtime().env().get("PORT")));
        assertThat(dockerfile.only("EXPOSE").words()).containsExactly(Integer.toString(url.getPort()));

        // when: compiled as the build stage compiles it, run with the image's JVM options at the real router
        Path classes = compile(source, tmp.resolve("healthcheck"));
        int healthy = runHealthCheck(check, classes, className, ROUTER.baseUrl() + url.getPath());
        int missing = runHealthCheck(check, classes, className, ROUTER.baseUrl() + "/actuator/health/nothing-here");

        // then
        assertThat(healthy).as("exit status on " + url.getPath()).isZero();
        assertThat(missing).as("exit status on a 404").isEqualTo(1);
    }

    @Test
    void should_run_as_a_user_that_owns_its_data_dir_and_reads_the_copied_config_when_the_image_starts() {
        // given
        Dockerfile runtime = dockerfile.runtime();
        Map<String, String> env = runtime.env();

        // then: not root
        String user = runtime.only("USER").words().getFirst();
        assertThat(user).isNotIn("root", "0");
        // and the router's config dir is where the repository's config/ is copied
        assertThat(runtime.all("COPY")).anySatisfy(copy -> assertThat(copy.operands()).containsExactly("config", env.get("COE_CONFIG_DIR")));
        // and the data dir (H2 history without the postgres profile) is made and handed to that user
        assertThat(runtime.all("RUN")).anySatisfy(run -> assertThat(run.arguments())
                .contains("useradd").contains(user).containsPattern("chown\\s+" + user + "\\s+" + env.get("COE_DATA_DIR")));
    }

    private List<String> healthCheckCommand() {
        String arguments = dockerfile.only("HEALTHCHECK").arguments();
        int cmd = arguments.indexOf("CMD ");
        assertThat(cmd).as("HEALTHCHECK ... CMD").isNotNegative();
        List<String> words = Dockerfile.Instruction.words(arguments.substring(cmd + 4));
        assertThat(words).as("exec form, running java").startsWith("java").contains("-cp");
        return words;
    }

    /** The source file the build stage's javac compiles into the health check's class. */
    private Path compiledHealthCheckSource(String className) {
        Dockerfile.Instruction javac = dockerfile.stage("build").all("RUN").stream()
                .filter(run -> run.words().getFirst().equals("javac")).findFirst()
                .orElseThrow(() -> new AssertionError("the build stage compiles no health check"));
        String source = javac.words().getLast();
        assertThat(source).endsWith("/" + className + ".java");
        Path path = DeploymentFiles.path(source);
        assertThat(path).isRegularFile();
        return path;
    }

    /** Compiles {@code source} with the options of the build stage's javac line. */
    private Path compile(Path source, Path into) {
        List<String> javac = new ArrayList<>(dockerfile.stage("build").all("RUN").stream()
                .filter(run -> run.words().getFirst().equals("javac")).findFirst().orElseThrow().words());
        javac.removeFirst();
        javac.set(javac.indexOf("-d") + 1, into.toString());
        javac.set(javac.size() - 1, source.toString());
        int status = ToolProvider.getSystemJavaCompiler().run(null, System.out, System.err, javac.toArray(String[]::new));
        assertThat(status).as("javac " + javac).isZero();
        return into;
    }

    private static int runHealthCheck(List<String> check, Path classes, String className, String url) throws Exception {
        List<String> command = new ArrayList<>(check.subList(0, check.indexOf("-cp")));
        command.set(0, JAVA.toString());
        command.addAll(List.of("-cp", classes.toString(), className, url));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getInputStream().transferTo(System.out);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return process.exitValue();
    }

    /** The one file of the Maven build that the build stage's {@code COPY --from=build} glob matches. */
    private Path builtJar(String buildWorkdir) {
        Dockerfile.Instruction copy = dockerfile.stage("extract").only("COPY");
        assertThat(copy.option("from")).isEqualTo("build");
        String glob = copy.operands().getFirst();
        assertThat(glob).startsWith(buildWorkdir);
        String relative = glob.substring(buildWorkdir.length());
        PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + relative);
        Path dir = DeploymentFiles.path(relative).getParent();
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> matches = files.filter(f -> matcher.matches(DeploymentFiles.REPO.relativize(f))).toList();
            assertThat(matches).as("files of the build matching " + glob + " (build router-service first)").hasSize(1);
            return matches.getFirst();
        } catch (IOException e) {
            throw new AssertionError("no " + dir + ": build router-service first", e);
        }
    }
}

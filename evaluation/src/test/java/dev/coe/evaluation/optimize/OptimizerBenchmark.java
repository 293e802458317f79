package dev.coe.evaluation.optimize;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the optimizer CLI inside Surefire, which has the module's class path at hand (the exec plugin cannot be
 * resolved offline here). Not a unit test: it only runs when {@code optimizer.args} is set, e.g.
 * <pre>
 * ./mvnw -B -o -q -pl evaluation -am test -Dtest=OptimizerBenchmark -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Doptimizer.args="mmlu-pro --taxonomy routing"
 * </pre>
 * Paths resolve against {@code evaluation/}; {@code --data} defaults to the build's {@code coe.shared.data}.
 */
class OptimizerBenchmark {

    @Test
    @EnabledIfSystemProperty(named = "optimizer.args", matches = ".+")
    void run() {
        List<String> args = new ArrayList<>(Arrays.asList(System.getProperty("optimizer.args").strip().split("\\s+")));
        String data = System.getProperty("coe.shared.data");
        if (!args.contains("--data") && data != null && List.of("mmlu-pro", "arena").contains(args.getFirst())) {
            args.addAll(List.of("--data", data));
        }
        int status = new OptimizeCli(System.out, System.err).run(args.toArray(String[]::new));
        assertThat(status).isZero();
    }
}

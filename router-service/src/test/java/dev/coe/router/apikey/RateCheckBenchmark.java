package dev.coe.router.apikey;

import dev.coe.router.shared.RedisState;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BiPredicate;

/**
 * What a client key's rate checks cost: this replica's own bucket against the bucket shared in Redis
 * (127.0.0.1:6379, or {@code -Dcoe.test.redis-url}), one caller and several, each caller with a key of its own and all
 * callers on one key (the compare-and-swap script's worst case), and a token limit's check and charge. A harness, not
 * a test:
 * <pre>
 * ./mvnw -q -B -o -pl router-service exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=dev.coe.router.apikey.RateCheckBenchmark -Dexec.args="--checks 20000 --rounds 3"
 * </pre>
 * Limits are set high enough that every check is admitted, so each one does the full work.
 */
public final class RateCheckBenchmark {

    public static void main(String[] args) throws Exception {
        int checks = intArg(args, "--checks", 20_000);
        int rounds = intArg(args, "--rounds", 3);
        int callers = intArg(args, "--callers", 8);
        String url = System.getProperty("coe.test.redis-url", "redis://127.0.0.1:6379");
        String prefix = "coe-bench-" + UUID.randomUUID();
        try (RedisState redis = RedisState.connect(url, prefix, Duration.ofMillis(100))) {
            SharedKeyRates shared = new SharedKeyRates(redis.buckets().store().orElseThrow(), Duration.ofMillis(100),
                    Duration.ofSeconds(1), new LocalKeyRates());
            LocalKeyRates local = new LocalKeyRates();
            run("local bucket", local, checks, 1, false, 1);  // warm-up
            run("Redis bucket", shared, checks, 1, false, 1);
            for (int round = 1; round <= rounds; round++) {
                System.out.println("round " + round);
                run("local bucket, 1 caller", local, checks, 1, false, round);
                run("Redis bucket, 1 caller", shared, checks, 1, false, round);
                run("Redis bucket, " + callers + " callers, own keys", shared, checks, callers, false, round);
                run("Redis bucket, " + callers + " callers, one key", shared, checks, callers, true, round);
                run("local, tokens: check and charge, 1 caller", local, checks, 1, false, round, RateCheckBenchmark::tokens);
                run("Redis, tokens: check and charge, 1 caller", shared, checks, 1, false, round, RateCheckBenchmark::tokens);
            }
            if (shared.localChecks() > 0) {
                System.out.println("WARNING: " + shared.localChecks() + " checks timed out and were counted locally");
            }
        }
    }

    /** What one request of a key with tokens per minute does: a check before, a charge after. */
    private static boolean tokens(KeyRates rates, ClientKey key) {
        boolean admitted = rates.checkTokens(key).admitted();
        rates.chargeTokens(key, 1);
        return admitted;
    }

    private static void run(String label, KeyRates rates, int checks, int callers, boolean oneKey, int round)
            throws Exception {
        run(label, rates, checks, callers, oneKey, round, (r, k) -> r.takeRequest(k).admitted());
    }

    private static void run(String label, KeyRates rates, int checks, int callers, boolean oneKey, int round,
                            BiPredicate<KeyRates, ClientKey> check) throws Exception {
        int each = checks / callers;
        try (ExecutorService pool = Executors.newFixedThreadPool(callers)) {
            List<Future<long[]>> results = new ArrayList<>();
            long started = System.nanoTime();
            for (int c = 0; c < callers; c++) {
                ClientKey key = key(oneKey ? "key_bench_r" + round : "key_bench_r" + round + "_" + c);
                results.add(pool.submit(() -> {
                    long[] nanos = new long[each];
                    for (int i = 0; i < each; i++) {
                        long t = System.nanoTime();
                        if (!check.test(rates, key)) {
                            throw new IllegalStateException("refused: the benchmark's limit is too low");
                        }
                        nanos[i] = System.nanoTime() - t;
                    }
                    return nanos;
                }));
            }
            long[] all = new long[each * callers];
            for (int c = 0; c < callers; c++) {
                System.arraycopy(results.get(c).get(), 0, all, c * each, each);
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            Arrays.sort(all);
            System.out.printf("  %-44s p50 %7.1f µs  p99 %7.1f µs  %,9.0f checks/s%n", label, all[all.length / 2] / 1e3,
                    all[(int) (all.length * 0.99)] / 1e3, all.length / seconds);
        }
    }

    private static ClientKey key(String id) {
        return new ClientKey(id, id, "hash", "sk-coe-bench", Set.of(), Set.of(), 100_000_000, 100_000_000, null, 0, "bench",
                Instant.EPOCH, null, null);
    }

    private static int intArg(String[] args, String name, int fallback) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return Integer.parseInt(args[i + 1]);
            }
        }
        return fallback;
    }
}

package dev.coe.evaluation.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The CLI's options, parsed and validated once; bad values are named in the exception's message. */
record Options(String router, List<Path> suites, String judge, Path data, Path examples, Path out, int concurrency,
               int retries, boolean baselines, Integer limit) {

    static Options parse(String[] args) {
        String router = null;
        List<Path> suites = new ArrayList<>();
        String judge = null;
        Path data = Path.of("../shared/data");
        Path examples = Path.of("config/classifier/examples.jsonl");
        Path out = Path.of("target/evaluation-live");
        int concurrency = 4;
        int retries = 3;
        boolean baselines = false;
        Integer limit = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--baselines")) {
                baselines = true;
                continue;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(a + " needs a value");
            }
            String v = args[++i];
            switch (a) {
                case "--router" -> router = v;
                case "--suite" -> suites.add(Path.of(v));
                case "--judge" -> judge = v;
                case "--data" -> data = Path.of(v);
                case "--examples" -> examples = Path.of(v);
                case "--out" -> out = Path.of(v);
                case "--concurrency" -> concurrency = positive(a, v);
                case "--retries" -> retries = positive(a, v);
                case "--limit" -> limit = positive(a, v);
                default -> throw new IllegalArgumentException("unknown option " + a);
            }
        }
        if (router == null || suites.isEmpty()) {
            throw new IllegalArgumentException("--router and at least one --suite are required");
        }
        return new Options(router, suites, judge, data, examples, out, concurrency, retries, baselines, limit);
    }

    private static int positive(String option, String value) {
        try {
            int n = Integer.parseInt(value);
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // falls through to the message below
        }
        throw new IllegalArgumentException(option + " must be a positive integer, but was " + value);
    }
}

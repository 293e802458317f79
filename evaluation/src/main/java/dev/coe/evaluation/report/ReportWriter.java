package dev.coe.evaluation.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coe.evaluation.run.ItemRecord;
import dev.coe.evaluation.run.SuiteRun;
import dev.coe.evaluation.suite.ExpertSpec;
import dev.coe.evaluation.suite.SuiteFormat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * Writes a run's reports into one directory: {@code report.md} (every suite), per suite {@code <suite>.json} and
 * {@code <suite>.svg}, {@code records.jsonl} (one record per scored turn, for the mapping optimizer) and
 * {@code answers/<suite>.jsonl} in FastChat's answer format. Stateless and thread-safe.
 */
public final class ReportWriter {

    static final String REPLAY_NOTE = "Replay: the experts answer with **recorded** answers of the named models and earn"
            + " their **recorded** grades (GPT-4 judge for MT-Bench and arena, exact match of the chosen letter for"
            + " MMLU-Pro); nothing is generated. The router (classifier, routing table, gateway) is real.";
    static final String TURN2_NOTE = "MT-Bench turn 2 is routed with the router's own turn-1 answer in context; the"
            + " recorded turn-2 answers were produced after each model's *own* turn-1 answer, an approximation"
            + " whenever the router picks different experts for the two turns.";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ReportWriter() {
    }

    /** A suite's run with its figures and gate, as reported. */
    public record Reported(SuiteRun run, Figures figures, Gate gate) {
    }

    public static Reported evaluate(SuiteRun run) {
        Figures f = Figures.of(run);
        return new Reported(run, f, Gate.check(f, run.suite().definition().minScore(), run.mode().equals("replay")));
    }

    public static void write(Path dir, List<Reported> reported) throws IOException {
        Files.createDirectories(dir.resolve("answers"));
        ObjectMapper compact = new ObjectMapper();
        StringBuilder records = new StringBuilder();
        StringBuilder md = new StringBuilder("# Evaluation report\n\n");
        for (Reported r : reported) {
            String name = r.run().suite().name();
            for (ItemRecord rec : r.run().records()) {
                records.append(compact.writeValueAsString(rec)).append('\n');
            }
            StringBuilder answers = new StringBuilder();
            for (var item : r.run().suite().items()) {
                List<String> turns = r.run().answers().get(item.id());
                if (turns != null) {
                    ObjectNode a = compact.createObjectNode().put("question_id", item.id())
                            .put("answer_id", name + "-" + item.id()).put("model_id", "coe-router");
                    ArrayNode t = a.putArray("choices").addObject().put("index", 0).putArray("turns");
                    turns.forEach(t::add);
                    answers.append(compact.writeValueAsString(a)).append('\n');
                }
            }
            Files.writeString(dir.resolve("answers/" + name + ".jsonl"), answers);
            Files.writeString(dir.resolve(name + ".json"), JSON.writeValueAsString(json(r)));
            Files.writeString(dir.resolve(name + ".svg"),
                    SvgChart.render(name + " (" + r.run().mode() + "): quality vs cost", r.figures(), scale(r)));
            md.append(MarkdownSection.of(r, scale(r)));
        }
        Files.writeString(dir.resolve("records.jsonl"), records);
        Files.writeString(dir.resolve("report.md"), md);
    }

    static String scale(Reported r) {
        return r.run().suite().definition().format() == SuiteFormat.MMLU_PRO ? "accuracy 0-1" : "grade 1-10";
    }

    private static ObjectNode json(Reported r) {
        var d = r.run().suite().definition();
        Figures f = r.figures();
        ObjectNode root = JSON.createObjectNode().put("suite", d.name()).put("format", d.format().id())
                .put("mode", r.run().mode()).put("scale", scale(r)).put("description", d.description());
        if (r.run().mode().equals("replay")) {
            root.put("note", REPLAY_NOTE.replace("**", "") + (d.format() == SuiteFormat.MT_BENCH ? " " + TURN2_NOTE : ""));
        }
        root.put("routingTable", r.run().suite().routingNote()).put("items", r.run().suite().items().size())
                .put("scoredTurns", f.scored()).put("failedCalls", f.failed()).put("unscoredTurns", f.unscored())
                .put("missingGrades", r.run().suite().missingGrades())
                .put("elapsedSeconds", r.run().elapsedSeconds());
        root.set("notes", JSON.valueToTree(r.run().notes()));
        ArrayNode leaked = root.putArray("refusedAsLeaked");
        r.run().suite().leakedItems().forEach(leaked::add);
        if (f.routingAccuracy() != null) {
            root.put("routingAccuracy", f.routingAccuracy()).put("labelledTurns", f.labelled());
        } else {
            root.putNull("routingAccuracy");
        }
        ArrayNode experts = root.putArray("experts");
        for (ExpertSpec e : d.experts()) {
            ObjectNode n = experts.addObject().put("id", e.id()).put("model", e.model());
            putNullable(n, "activeParamsB", e.activeParamsB());
            putNullable(n, "pricePerMTokens", e.pricePerMTokens());
        }
        root.set("expertCalls", JSON.valueToTree(f.expertCalls()));
        root.set("lines", JSON.valueToTree(f.lines()));
        root.putObject("latencyMs").put("mean", f.latencyMeanMs()).put("p95", f.latencyP95Ms());
        ObjectNode gate = root.putObject("gate");
        putNullable(gate, "minScore", r.gate().minScore());
        gate.put("passed", r.gate().passed()).set("violations", JSON.valueToTree(r.gate().violations()));
        return root;
    }

    private static void putNullable(ObjectNode n, String field, Double v) {
        if (v == null) {
            n.putNull(field);
        } else {
            n.put(field, v);
        }
    }

    /** The Markdown section of one suite. */
    static final class MarkdownSection {
        private MarkdownSection() {
        }

        static String of(Reported r, String scale) {
            var suite = r.run().suite();
            Figures f = r.figures();
            int decimals = scale.startsWith("accuracy") ? 3 : 2;
            StringBuilder md = new StringBuilder("## " + suite.name() + " (" + r.run().mode() + ")\n\n");
            if (!suite.definition().description().isBlank()) {
                md.append(suite.definition().description().strip()).append("\n\n");
            }
            if (r.run().mode().equals("replay")) {
                md.append("> ").append(REPLAY_NOTE).append('\n');
                if (suite.definition().format() == SuiteFormat.MT_BENCH) {
                    md.append(">\n> ").append(TURN2_NOTE).append('\n');
                }
                md.append('\n');
            }
            md.append("- score: ").append(scale).append("; items: ").append(suite.items().size())
                    .append("; scored turns: ").append(f.scored()).append("; failed calls: ").append(f.failed())
                    .append("; unscored turns: ").append(f.unscored()).append('\n');
            r.run().notes().forEach(n -> md.append("- ").append(n).append('\n'));
            md.append("- items left out for a missing grade (for every line alike): ").append(suite.missingGrades()).append('\n');
            md.append("- items refused because a prompt is in the classifier's training data: ")
                    .append(suite.leakedItems().size()).append(suite.leakedItems().isEmpty() ? "" : " **(" + String.join(", ", suite.leakedItems()) + ")**").append('\n');
            md.append("- routing table: ").append(suite.routingNote()).append('\n');
            md.append("- routing accuracy against the suite's labels: ").append(f.routingAccuracy() == null ? "n/a (no labels)"
                    : pct(f.routingAccuracy()) + " of " + f.labelled() + " labelled turns").append('\n');
            md.append(String.format(Locale.ROOT, "- latency through the router (client round trip): mean %.1f ms, p95 %.1f ms%s%n",
                    f.latencyMeanMs(), f.latencyP95Ms(), r.run().mode().equals("replay") ? " (replay experts answer at once)" : ""));
            md.append(String.format(Locale.ROOT, "- run time: %.1f s%n", r.run().elapsedSeconds()));
            md.append("- gate: ").append(r.gate().passed() ? "passed" : "**FAILED**: " + String.join("; ", r.gate().violations()))
                    .append(r.gate().minScore() == null ? "" : " (threshold " + r.gate().minScore() + ", and not below random)")
                    .append("\n\n");
            TreeSet<String> categories = new TreeSet<>();
            f.lines().forEach(l -> categories.addAll(l.perCategory().keySet()));
            md.append("| | overall |");
            categories.forEach(c -> md.append(' ').append(c).append(" |"));
            md.append(" avg active params (B, open calls) | calls to closed models | avg price ($/M out) |\n|---|---:|");
            categories.forEach(c -> md.append("---:|"));
            md.append("---:|---:|---:|\n");
            for (Line l : f.lines()) {
                String name = l.kind().equals("router") ? "**router**" : l.kind().equals("expert") ? l.name() : "*" + l.name() + "*";
                md.append("| ").append(name).append(" | ").append(num(l.score(), decimals)).append(" |");
                categories.forEach(c -> md.append(' ').append(num(l.perCategory().get(c), decimals)).append(" |"));
                md.append(' ').append(num(l.avgActiveParamsB(), 1)).append(" | ").append(pct(l.closedShare()))
                        .append(" | ").append(num(l.avgPrice(), 2)).append(" |\n");
            }
            md.append("\nCategories are ").append(f.categoriesAreLabels() ? "the suite's own labels." : "the router's predicted categories (the suite has no labels).")
                    .append(" Expert distribution of the router: ");
            List<String> parts = new ArrayList<>();
            for (Map.Entry<String, Integer> e : f.expertCalls().entrySet()) {
                parts.add(e.getKey() + " " + e.getValue());
            }
            md.append(String.join(", ", parts)).append(".\n\n![").append(suite.name()).append(" quality vs cost](")
                    .append(suite.name()).append(".svg)\n\n");
            return md.toString();
        }

        private static String num(Double v, int decimals) {
            return v == null ? "–" : String.format(Locale.ROOT, "%." + decimals + "f", v);
        }

        private static String pct(double v) {
            return String.format(Locale.ROOT, "%.1f%%", 100 * v);
        }
    }
}

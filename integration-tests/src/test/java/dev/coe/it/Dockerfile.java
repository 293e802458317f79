package dev.coe.it;

import tools.jackson.databind.json.JsonMapper;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The instructions of a Dockerfile, continuation lines joined and comments dropped, with the look-ups the deployment
 * checks need. Not a full parser (no variables, no heredocs). Immutable.
 */
record Dockerfile(List<Instruction> instructions) {

    /** One instruction: its keyword in upper case and the rest of its (joined) line. */
    record Instruction(String keyword, String arguments) {

        /** The words of the instruction: the JSON array of the exec form, or the shell form split on blanks. */
        List<String> words() {
            return words(arguments);
        }

        /** The value of an option such as {@code --from=build}; null when absent. */
        String option(String name) {
            return words().stream().filter(w -> w.startsWith("--" + name + "=")).map(w -> w.substring(name.length() + 3))
                    .findFirst().orElse(null);
        }

        /** The words that are no {@code --option}. */
        List<String> operands() {
            return words().stream().filter(w -> !w.startsWith("--")).toList();
        }

        static List<String> words(String text) {
            String trimmed = text.strip();
            if (trimmed.startsWith("[")) {
                return Arrays.asList(JsonMapper.builder().build().readValue(trimmed, String[].class));
            }
            return Arrays.stream(trimmed.split("\\s+")).filter(w -> !w.isEmpty()).toList();
        }
    }

    static Dockerfile read(String relative) {
        List<Instruction> instructions = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String raw : DeploymentFiles.text(relative).split("\n")) {
            if (raw.strip().startsWith("#")) {
                continue;
            }
            if (raw.endsWith("\\")) {
                line.append(raw, 0, raw.length() - 1).append(' ');
                continue;
            }
            line.append(raw);
            String full = line.toString().strip();
            line.setLength(0);
            if (!full.isEmpty()) {
                String[] parts = full.split("\\s+", 2);
                instructions.add(new Instruction(parts[0].toUpperCase(), parts.length > 1 ? parts[1] : ""));
            }
        }
        return new Dockerfile(List.copyOf(instructions));
    }

    List<Instruction> all(String keyword) {
        return instructions.stream().filter(i -> i.keyword().equals(keyword)).toList();
    }

    /** The only instruction with {@code keyword}; fails the test when there is none or more than one. */
    Instruction only(String keyword) {
        List<Instruction> found = all(keyword);
        if (found.size() != 1) {
            throw new AssertionError("expected one " + keyword + " in the Dockerfile, found " + found.size());
        }
        return found.getFirst();
    }

    /** The instructions of the stage named {@code name} ({@code FROM image AS name}), up to the next FROM. */
    Dockerfile stage(String name) {
        List<Instruction> stage = new ArrayList<>();
        boolean in = false;
        for (Instruction i : instructions) {
            if (i.keyword().equals("FROM")) {
                in = i.words().size() == 3 && i.words().get(2).equals(name);
            } else if (in) {
                stage.add(i);
            }
        }
        if (stage.isEmpty()) {
            throw new AssertionError("the Dockerfile has no stage '" + name + "'");
        }
        return new Dockerfile(stage);
    }

    /** The last stage: the image that runs. */
    Dockerfile runtime() {
        int last = 0;
        for (int i = 0; i < instructions.size(); i++) {
            if (instructions.get(i).keyword().equals("FROM")) {
                last = i;
            }
        }
        return new Dockerfile(instructions.subList(last + 1, instructions.size()));
    }

    /** Names set by ENV in {@code NAME=value} form, with their values. */
    Map<String, String> env() {
        Map<String, String> env = new LinkedHashMap<>();
        for (Instruction i : all("ENV")) {
            for (String word : i.words()) {
                String[] kv = word.split("=", 2);
                if (kv.length == 2) {
                    env.put(kv[0], kv[1]);
                }
            }
        }
        return env;
    }
}

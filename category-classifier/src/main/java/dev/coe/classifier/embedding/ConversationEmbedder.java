package dev.coe.classifier.embedding;

import dev.coe.classifier.Turn;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Turns a conversation or a text into unit vectors: the turns that count ({@code ConversationFocus}),
 * each cut into the pieces that are embedded ({@code TextWindow}), weighted and summed; and, for the
 * logistic head, the same turns' instructions ({@code InstructionSentence}) weighted and summed beside it. Every
 * classifier goes through here, so that a prompt is embedded the same way at training and at
 * classification time. Thread-safe, provided the {@link EmbeddingModel} is.
 */
final class ConversationEmbedder {

    private final EmbeddingModel model;
    private final EmbeddingClassifierConfig config;

    ConversationEmbedder(EmbeddingModel model, EmbeddingClassifierConfig config) {
        this.model = Objects.requireNonNull(model, "model");
        this.config = Objects.requireNonNull(config, "config");
    }

    EmbeddingClassifierConfig config() {
        return config;
    }

    /**
     * The conversation's unit vector: latest user turn plus weighted earlier user turns.
     *
     * @throws IllegalArgumentException if no turn has text
     */
    float[] embed(List<Turn> conversation) {
        List<ConversationFocus.WeightedText> focus = focus(conversation);
        float[][] turns = embedUnits(focus.stream().map(turn -> chunks(turn.text())).toList());
        return Vectors.weightedUnitSum(Arrays.asList(turns), weights(focus));
    }

    /**
     * {@link #embed} followed by the conversation's instruction vector, twice the model's dimension.
     * The instruction vector mixes the focus turns' instructions with the same weights as the
     * conversation vector mixes the turns: with the latest turn's instruction alone, a follow-up
     * ("Now make it shorter.") would outweigh the context that says what "it" is. A turn that is its
     * own instruction (one sentence) reuses its vector, so a short prompt costs no second forward pass.
     *
     * @throws IllegalArgumentException if no turn has text
     */
    float[] embedWithInstruction(List<Turn> conversation) {
        return embedFocusWithInstruction(List.of(focus(conversation)))[0];
    }

    /**
     * Embeds texts in one model call (parallel in the bundled model). Each text becomes the
     * weighted mean of its {@code TextWindow} pieces, as a unit vector.
     */
    float[][] embedTexts(List<String> texts) {
        return embedUnits(texts.stream().map(this::chunks).toList());
    }

    /** Each text as a one-turn conversation through {@link #embedWithInstruction}, all in one model call. */
    float[][] embedTextsWithInstruction(List<String> texts) {
        return embedFocusWithInstruction(texts.stream()
                .map(text -> List.of(new ConversationFocus.WeightedText(text, 1.0))).toList());
    }

    /** For each conversation's focus turns, the conversation vector followed by the instruction vector. */
    private float[][] embedFocusWithInstruction(List<List<ConversationFocus.WeightedText>> conversations) {
        List<List<TextWindow.Chunk>> units = new ArrayList<>();
        int[][] turnUnits = new int[conversations.size()][];
        int[][] instructionUnits = new int[conversations.size()][];
        for (int c = 0; c < conversations.size(); c++) {
            List<ConversationFocus.WeightedText> focus = conversations.get(c);
            turnUnits[c] = new int[focus.size()];
            instructionUnits[c] = new int[focus.size()];
            for (int t = 0; t < focus.size(); t++) {
                List<TextWindow.Chunk> chunks = chunks(focus.get(t).text());
                turnUnits[c][t] = units.size();
                units.add(chunks);
                Optional<List<TextWindow.Chunk>> instruction = instruction(focus.get(t).text(), chunks);
                instructionUnits[c][t] = instruction.isPresent() ? units.size() : turnUnits[c][t];
                instruction.ifPresent(units::add);
            }
        }
        float[][] vectors = embedUnits(units);
        float[][] joined = new float[conversations.size()][];
        for (int c = 0; c < conversations.size(); c++) {
            double[] weights = weights(conversations.get(c));
            joined[c] = Vectors.concat(Vectors.weightedUnitSum(select(vectors, turnUnits[c]), weights),
                    Vectors.weightedUnitSum(select(vectors, instructionUnits[c]), weights));
        }
        return joined;
    }

    /**
     * The pieces of a text's instruction, or empty when the text is its own instruction. A long
     * text uses the edge paragraphs that {@code TextWindow} took as its instruction ("Rewrite the
     * passage above as a poem" after a pasted page), since its first sentence is often the pasted
     * material's; other texts use their instruction sentence.
     */
    private Optional<List<TextWindow.Chunk>> instruction(String text, List<TextWindow.Chunk> chunks) {
        List<TextWindow.Chunk> paragraphs = chunks.stream().filter(TextWindow.Chunk::instruction)
                .map(paragraph -> new TextWindow.Chunk(paragraph.text(), 1.0)).toList();
        if (!paragraphs.isEmpty()) {
            return Optional.of(paragraphs);
        }
        return InstructionSentence.of(text, config.chunkTokens()).map(s -> List.of(new TextWindow.Chunk(s, 1.0)));
    }

    private List<ConversationFocus.WeightedText> focus(List<Turn> conversation) {
        Objects.requireNonNull(conversation, "conversation");
        return ConversationFocus.select(conversation, config.previousTurnWeight(), config.maxPreviousTurns());
    }

    private List<TextWindow.Chunk> chunks(String text) {
        return TextWindow.chunks(text, config.chunkTokens());
    }

    private static List<float[]> select(float[][] vectors, int[] indices) {
        return Arrays.stream(indices).mapToObj(i -> vectors[i]).toList();
    }

    private static double[] weights(List<ConversationFocus.WeightedText> focus) {
        return focus.stream().mapToDouble(ConversationFocus.WeightedText::weight).toArray();
    }

    /**
     * Embeds every unit's pieces in one model call; each unit becomes the weighted unit sum of its
     * pieces. A piece that occurs twice is embedded once: a long text's instruction paragraph is
     * also one of its {@code TextWindow} pieces.
     */
    private float[][] embedUnits(List<List<TextWindow.Chunk>> units) {
        Map<String, Integer> distinct = new LinkedHashMap<>();
        units.stream().flatMap(List::stream).forEach(chunk -> distinct.putIfAbsent(chunk.text(), distinct.size()));
        List<TextSegment> segments = distinct.keySet().stream().map(TextSegment::from).toList();
        List<Embedding> embeddings = model.embedAll(segments).content();
        if (embeddings.size() != segments.size()) {
            throw new IllegalStateException("embedding model returned " + embeddings.size()
                    + " embeddings for " + segments.size() + " texts");
        }
        float[][] vectors = new float[units.size()][];
        for (int u = 0; u < units.size(); u++) {
            List<TextWindow.Chunk> chunks = units.get(u);
            List<float[]> pieces = new ArrayList<>();
            double[] weights = new double[chunks.size()];
            for (int c = 0; c < chunks.size(); c++) {
                pieces.add(Vectors.normalize(embeddings.get(distinct.get(chunks.get(c).text())).vector()));
                weights[c] = chunks.get(c).weight();
            }
            vectors[u] = Vectors.weightedUnitSum(pieces, weights);
        }
        return vectors;
    }
}

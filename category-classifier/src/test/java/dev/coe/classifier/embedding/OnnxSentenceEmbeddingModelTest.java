package dev.coe.classifier.embedding;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.bgesmallenv15q.BgeSmallEnV15QuantizedEmbeddingModel;
import dev.langchain4j.model.output.Response;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * Argument checks, and the forward pass checked against langchain4j's own model classes (same ONNX
 * files): the classifier's committed head was trained on vectors from those, so they must not move.
 */
class OnnxSentenceEmbeddingModelTest {

    private static final List<String> TEXTS = List.of(
            "Can you write a Python function that checks whether two strings are anagrams of each other?",
            "Don't over-think it: what's 17 × 23, and why?",
            "def gcd(a, b):\n    return a if b == 0 else gcd(b, a % b)",
            "Écris un poème sur la mer, s'il te plaît.",
            "请用三句话解释量子纠缠。",
            "x");

    @Test
    void should_give_langchain4j_vectors_when_texts_fit_the_window() {
        // given
        OnnxSentenceEmbeddingModel bge = OnnxSentenceEmbeddingModel.of(OnnxSentenceEmbeddingModel.Bundled.BGE_SMALL_EN_V15_Q);
        OnnxSentenceEmbeddingModel miniLm = OnnxSentenceEmbeddingModel.of(
                OnnxSentenceEmbeddingModel.Bundled.ALL_MINILM_L6_V2_Q);

        // when / then: CLS pooling and mean pooling, and the same token counts
        assertSameVectors(bge, new BgeSmallEnV15QuantizedEmbeddingModel());
        assertSameVectors(miniLm, new AllMiniLmL6V2QuantizedEmbeddingModel());
    }

    @Test
    void should_keep_the_order_when_several_texts_are_embedded_at_once() {
        // given
        OnnxSentenceEmbeddingModel model = OnnxSentenceEmbeddingModel.of(OnnxSentenceEmbeddingModel.Bundled.BGE_SMALL_EN_V15_Q);

        // when: the caller and a helper thread share the texts
        List<Embedding> together = model.embedAll(TEXTS.stream().map(TextSegment::from).toList()).content();

        // then
        for (int i = 0; i < TEXTS.size(); i++) {
            assertThat(together.get(i).vector()).as(TEXTS.get(i)).containsExactly(model.embed(TEXTS.get(i)).content().vector());
        }
    }

    @Test
    void should_give_each_caller_its_own_vectors_when_more_callers_than_cores_embed_at_once() throws Exception {
        // given: more callers with several texts each than there are helper threads, so that helpers queue
        OnnxSentenceEmbeddingModel model = OnnxSentenceEmbeddingModel.of(OnnxSentenceEmbeddingModel.Bundled.BGE_SMALL_EN_V15_Q);
        List<TextSegment> segments = TEXTS.stream().map(TextSegment::from).toList();
        List<Embedding> expected = model.embedAll(segments).content();

        // when
        List<List<Embedding>> answers;
        try (ExecutorService callers = Executors.newFixedThreadPool(6)) {
            List<Future<List<Embedding>>> futures = new ArrayList<>();
            for (int c = 0; c < 6; c++) {
                futures.add(callers.submit(() -> model.embedAll(segments).content()));
            }
            answers = new ArrayList<>();
            for (Future<List<Embedding>> f : futures) {
                answers.add(f.get(60, TimeUnit.SECONDS));
            }
        }

        // then
        for (List<Embedding> answer : answers) {
            for (int i = 0; i < expected.size(); i++) {
                assertThat(answer.get(i).vector()).containsExactly(expected.get(i).vector());
            }
        }
    }

    @Test
    void should_embed_every_token_when_a_text_is_longer_than_the_window() {
        // given: about 1,300 tokens, where the model sees 512 at a time
        String text = "The reservation job reads payment status from a lagging replica, so paid orders get released. "
                .repeat(70) + "Explain the likely cause.";
        OnnxSentenceEmbeddingModel model = OnnxSentenceEmbeddingModel.of(OnnxSentenceEmbeddingModel.Bundled.BGE_SMALL_EN_V15_Q);
        EmbeddingModel reference = new BgeSmallEnV15QuantizedEmbeddingModel();

        // when
        Response<Embedding> ours = model.embed(text);
        Response<Embedding> theirs = reference.embed(text);

        // then: a unit vector over all the tokens; langchain4j's tokenizer silently keeps the first 510
        assertThat(theirs.tokenUsage().inputTokenCount()).isEqualTo(510);
        assertThat(ours.tokenUsage().inputTokenCount()).isGreaterThan(2 * 510);
        assertThat(norm(ours.content().vector())).isCloseTo(1.0, within(1e-5));
        assertThat(cosine(ours.content().vector(), theirs.content().vector())).isGreaterThan(0.9);
    }

    private static void assertSameVectors(EmbeddingModel ours, EmbeddingModel langchain4j) {
        for (String text : TEXTS) {
            Response<Embedding> expected = langchain4j.embed(text);
            Response<Embedding> actual = ours.embed(text);
            float[] e = expected.content().vector();
            float[] a = actual.content().vector();
            assertThat(a).as(text).hasSameSizeAs(e);
            for (int i = 0; i < e.length; i++) {
                // langchain4j's session runs several threads per pass; allow for a different summation order
                assertThat(a[i]).as("%s [%d]", text, i).isCloseTo(e[i], within(1e-5f));
            }
            assertThat(actual.tokenUsage().inputTokenCount()).as(text).isEqualTo(expected.tokenUsage().inputTokenCount());
        }
    }

    private static double norm(float[] v) {
        return Math.sqrt(cosine(v, v));
    }

    private static double cosine(float[] a, float[] b) {
        double dot = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
        }
        return dot;
    }

    @Test
    void should_give_the_same_vectors_when_a_pass_runs_on_two_threads() {
        // given: the router's model, and the variant coe.classifier-onnx-threads=2 builds
        EmbeddingModel one = EmbeddingCentroidClassifier.defaultEmbeddingModel();
        EmbeddingModel two = EmbeddingCentroidClassifier.defaultEmbeddingModel(2);

        // then: a second session of its own, splitting each pass, and the head's inputs unchanged
        assertThat(two).isNotSameAs(one);
        assertThat(((OnnxSentenceEmbeddingModel) two).intraOpThreads()).isEqualTo(2);
        assertThat(EmbeddingCentroidClassifier.defaultEmbeddingModel(1)).isSameAs(one);
        for (String text : TEXTS) {
            float[] expected = one.embed(text).content().vector();
            float[] actual = two.embed(text).content().vector();
            for (int i = 0; i < expected.length; i++) {
                assertThat(actual[i]).as("%s [%d]", text, i).isCloseTo(expected[i], within(1e-5f));
            }
        }
    }

    @Test
    void should_name_the_value_when_intra_op_threads_are_out_of_range() {
        assertThatThrownBy(() -> OnnxSentenceEmbeddingModel.of(OnnxSentenceEmbeddingModel.Bundled.BGE_SMALL_EN_V15_Q, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("intraOpThreads must be between 1 and 64, but was 0");
    }

    @Test
    void should_list_the_known_models_when_the_id_is_unknown() {
        assertThatThrownBy(() -> OnnxSentenceEmbeddingModel.Bundled.fromId("bert-large"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bge-small-en-v1.5-q").hasMessageContaining("'bert-large'");
    }

    @Test
    void should_find_the_bundled_model_when_given_its_id() {
        assertThat(OnnxSentenceEmbeddingModel.Bundled.fromId("bge-small-en-v1.5-q"))
                .isEqualTo(OnnxSentenceEmbeddingModel.Bundled.BGE_SMALL_EN_V15_Q);
    }
}

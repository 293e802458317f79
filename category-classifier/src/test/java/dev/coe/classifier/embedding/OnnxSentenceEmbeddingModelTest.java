package dev.coe.classifier.embedding;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Argument checks only; the model itself is exercised by every classifier test through the default model. */
class OnnxSentenceEmbeddingModelTest {

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

package dev.coe.classifier.embedding;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EmbeddingClassifierConfigTest {

    @Test
    void should_use_the_measured_defaults_when_nothing_is_set() {
        // given / when
        EmbeddingClassifierConfig config = EmbeddingClassifierConfig.ofDefaults();

        // then
        assertThat(config.temperature()).isEqualTo(EmbeddingClassifierConfig.DEFAULT_TEMPERATURE);
        assertThat(config.prototype()).isEqualTo(PrototypeStrategy.CENTROID);
        assertThat(config.previousTurnWeight()).isEqualTo(EmbeddingClassifierConfig.DEFAULT_PREVIOUS_TURN_WEIGHT);
        assertThat(config.maxPreviousTurns()).isEqualTo(EmbeddingClassifierConfig.DEFAULT_MAX_PREVIOUS_TURNS);
        assertThat(config.chunkTokens()).isEqualTo(EmbeddingClassifierConfig.DEFAULT_CHUNK_TOKENS);
    }

    @Test
    void should_keep_every_value_when_copied_through_to_builder() {
        // given
        EmbeddingClassifierConfig config = EmbeddingClassifierConfig.builder()
                .temperature(0.05).prototype(PrototypeStrategy.NEAREST_MEAN).nearestNeighbours(3)
                .previousTurnWeight(0).maxPreviousTurns(4).chunkTokens(300).build();

        // when
        EmbeddingClassifierConfig copy = config.toBuilder().build();

        // then
        assertThat(copy).hasToString(config.toString());
    }

    @Test
    void should_name_the_value_and_what_was_wrong_when_a_setting_is_out_of_range() {
        // given
        EmbeddingClassifierConfig.Builder builder = EmbeddingClassifierConfig.builder();

        // when / then
        assertThatThrownBy(() -> builder.temperature(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("temperature must be greater than 0 and at most 10, but was 0.0");
        assertThatThrownBy(() -> builder.temperature(Double.NaN)).hasMessageContaining("but was NaN");
        assertThatThrownBy(() -> builder.nearestNeighbours(0))
                .hasMessage("nearestNeighbours must be at least 1, but was 0");
        assertThatThrownBy(() -> builder.previousTurnWeight(1.5))
                .hasMessage("previousTurnWeight must be between 0 and 1, but was 1.5");
        assertThatThrownBy(() -> builder.maxPreviousTurns(-1))
                .hasMessage("maxPreviousTurns must be between 0 and 16, but was -1");
        assertThatThrownBy(() -> builder.chunkTokens(10))
                .hasMessage("chunkTokens must be between 50 and 4000, but was 10");
    }
}

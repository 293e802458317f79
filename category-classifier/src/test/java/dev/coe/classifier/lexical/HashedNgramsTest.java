package dev.coe.classifier.lexical;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class HashedNgramsTest {

    @Test
    void should_give_a_unit_vector_when_the_text_has_words() {
        // when
        float[] v = HashedNgrams.features("Write a haiku about rain, please.");

        // then
        double norm = 0;
        for (float f : v) {
            norm += f * f;
        }
        assertThat(v).hasSize(HashedNgrams.DEFAULT_BUCKETS);
        assertThat(Math.sqrt(norm)).isCloseTo(1.0, within(1e-5));
    }

    @Test
    void should_ignore_case_and_be_deterministic_when_called_twice() {
        // when
        float[] a = HashedNgrams.features("Solve 3x + 2 = 11", 512);
        float[] b = HashedNgrams.features("solve 3X + 2 = 11", 512);

        // then
        assertThat(a).containsExactly(b);
    }

    @Test
    void should_give_zeros_when_the_text_is_blank() {
        // when
        float[] v = HashedNgrams.features("   \n", 64);

        // then
        assertThat(v).containsOnly(0f);
    }
}

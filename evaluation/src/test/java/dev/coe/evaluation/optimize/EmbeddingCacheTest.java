package dev.coe.evaluation.optimize;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.output.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class EmbeddingCacheTest {

    /** Embeds a text as {length, first char}, and remembers every text it was asked for. */
    private static final class CountingModel implements EmbeddingModel {
        final List<String> asked = new ArrayList<>();

        @Override
        public Response<List<Embedding>> embedAll(List<TextSegment> segments) {
            segments.forEach(s -> asked.add(s.text()));
            return Response.from(segments.stream()
                    .map(s -> Embedding.from(new float[]{s.text().length(), s.text().charAt(0)})).toList());
        }
    }

    @Test
    void should_embed_each_text_once_across_runs_when_the_cache_file_is_kept(@TempDir Path dir) throws Exception {
        // given: a first run embeds two texts
        Path file = dir.resolve("cache.bin");
        CountingModel first = new CountingModel();
        try (EmbeddingCache cache = EmbeddingCache.open(file, first, "m")) {
            cache.embedAll(List.of(TextSegment.from("alpha"), TextSegment.from("beta"), TextSegment.from("alpha")));
            assertThat(cache.misses()).isEqualTo(2);
        }

        // when: a second run asks for one old and one new text
        CountingModel second = new CountingModel();
        List<Embedding> vectors;
        try (EmbeddingCache cache = EmbeddingCache.open(file, second, "m")) {
            vectors = cache.embedAll(List.of(TextSegment.from("beta"), TextSegment.from("gamma"))).content();
            assertThat(cache.size()).isEqualTo(3);
        }

        // then: only the new one reached the model, and the old one came back intact
        assertThat(first.asked).containsExactly("alpha", "beta");
        assertThat(second.asked).containsExactly("gamma");
        assertThat(vectors.get(0).vector()).containsExactly(4f, 'b');
    }

    @Test
    void should_not_reuse_vectors_of_another_model_and_survive_a_truncated_record(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("cache.bin");
        try (EmbeddingCache cache = EmbeddingCache.open(file, new CountingModel(), "m")) {
            cache.embedAll(List.of(TextSegment.from("alpha")));
        }
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length - 3)); // an interrupted run's last write

        CountingModel other = new CountingModel();
        try (EmbeddingCache cache = EmbeddingCache.open(file, other, "another-model")) {
            cache.embedAll(List.of(TextSegment.from("alpha")));
        }
        CountingModel third = new CountingModel();
        try (EmbeddingCache cache = EmbeddingCache.open(file, third, "another-model")) {
            cache.embedAll(List.of(TextSegment.from("alpha")));
            assertThat(cache.size()).isEqualTo(1);
        }

        // then: the other model's text was embedded anew, and the file stayed readable after the cut
        assertThat(other.asked).containsExactly("alpha");
        assertThat(third.asked).isEmpty();
    }
}

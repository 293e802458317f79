package dev.coe.classifier.embedding;

import com.github.benmanes.caffeine.cache.Cache;
import dev.coe.classifier.Turn;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The vector cache, with the bag-of-words test model, which counts and records what reaches it. */
class CachingEmbeddingModelTest {

    /** The test model, also recording each call's texts. */
    private static final class RecordingModel extends HashingEmbeddingModel {
        final List<List<String>> calls = new CopyOnWriteArrayList<>();

        @Override
        public dev.langchain4j.model.output.Response<List<Embedding>> embedAll(List<TextSegment> segments) {
            calls.add(segments.stream().map(TextSegment::text).toList());
            return super.embedAll(segments);
        }
    }

    private final RecordingModel model = new RecordingModel();
    private final CachingEmbeddingModel cached = new CachingEmbeddingModel(model, CachingEmbeddingModel.DEFAULT_MAX_BYTES);

    @Test
    void should_embed_only_the_new_turn_when_a_chat_repeats_its_earlier_turns() {
        // given: the router's embedding of a conversation, over the cache
        ConversationEmbedder embedder = new ConversationEmbedder(cached, EmbeddingClassifierConfig.ofDefaults());
        ConversationEmbedder direct = new ConversationEmbedder(new HashingEmbeddingModel(), EmbeddingClassifierConfig.ofDefaults());
        List<Turn> first = List.of(Turn.user("Plan a trip to Lisbon. We are four friends."));
        List<Turn> second = List.of(first.getFirst(), new Turn(Turn.Role.ASSISTANT, "Stay in Alfama."),
                Turn.user("Which fado bars are best? Keep it cheap."));

        // when: the chat's first request, then its second, which repeats the first turn
        embedder.embedWithInstruction(first);
        int afterFirst = model.segmentsEmbedded.get();
        float[] vector = embedder.embedWithInstruction(second);

        // then: the second request embedded its own turn and instruction sentence only, and the vector is the same
        assertThat(afterFirst).isEqualTo(2);
        assertThat(model.calls.getLast()).containsExactly("Which fado bars are best? Keep it cheap.", "Which fado bars are best?");
        assertThat(vector).containsExactly(direct.embedWithInstruction(second));
        assertThat(cached.stats().hitCount()).isEqualTo(2);
    }

    @Test
    void should_answer_in_the_order_asked_and_send_each_missing_text_once_in_one_call_when_some_are_known() {
        // given
        cached.embedAll(List.of(TextSegment.from("alpha beta")));

        // when: a known text, a new one twice, and another new one
        List<Embedding> embeddings = cached.embedAll(List.of(TextSegment.from("gamma"), TextSegment.from("alpha beta"),
                TextSegment.from("gamma"), TextSegment.from("delta"))).content();

        // then
        assertThat(model.calls).containsExactly(List.of("alpha beta"), List.of("gamma", "delta"));
        assertThat(embeddings).extracting(Embedding::vector).containsExactly(
                vectorOf("gamma"), vectorOf("alpha beta"), vectorOf("gamma"), vectorOf("delta"));
    }

    @Test
    void should_hand_out_a_copy_when_a_caller_changes_the_vector_it_got() {
        // given
        float[] first = cached.embed("alpha beta").content().vector();
        float[] expected = first.clone();

        // when: a caller normalises in place, as Embedding.normalize() does
        first[0] = 99f;

        // then
        assertThat(cached.embed("alpha beta").content().vector()).containsExactly(expected);
        assertThat(model.segmentsEmbedded.get()).isEqualTo(1);
    }

    @Test
    void should_stay_within_its_bound_when_more_texts_arrive_than_it_holds() {
        // given: room for about ten 64-dimension entries of short texts
        CachingEmbeddingModel small = new CachingEmbeddingModel(model, 10 * (96 + 2 * 8 + 4 * 64));
        List<TextSegment> texts = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            texts.add(TextSegment.from("text " + i));
        }

        // when
        small.embedAll(texts);

        // then
        assertThat(small.size()).isBetween(1L, 10L);
        assertThat(small.stats().evictionCount()).isGreaterThanOrEqualTo(190);
    }

    @Test
    void should_hand_its_cache_to_a_metrics_binder_when_asked() {
        // given
        cached.embedAll(List.of(TextSegment.from("alpha"), TextSegment.from("beta")));
        AtomicReference<Cache<?, ?>> bound = new AtomicReference<>();

        // when: a binder such as Micrometer's CaffeineCacheMetrics.monitor
        cached.bindMetrics(bound::set);

        // then: it sees the texts held and the lookups made
        assertThat(bound.get().estimatedSize()).isEqualTo(2);
        assertThat(bound.get().stats().missCount()).isEqualTo(2);
    }

    @Test
    void should_refuse_a_bound_that_is_not_positive() {
        assertThatThrownBy(() -> new CachingEmbeddingModel(model, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxBytes must be positive, but was 0");
    }

    private static float[] vectorOf(String text) {
        return new HashingEmbeddingModel().embed(text).content().vector();
    }
}

package dev.coe.classifier;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CachingClassifierTest {

    private final AtomicInteger calls = new AtomicInteger();

    /** Puts everything mentioning "code" in coding, the rest in writing; counts its calls. */
    private final CategoryClassifier counting = new CategoryClassifier() {
        @Override
        public Classification classify(List<Turn> conversation) {
            calls.incrementAndGet();
            boolean code = conversation.getLast().text().contains("code");
            return Classification.of(List.of("coding", "writing"), code ? new double[]{0.9, 0.1} : new double[]{0.2, 0.8});
        }

        @Override
        public List<Category> categories() {
            return List.of();
        }

        @Override
        public String name() {
            return "counting";
        }
    };

    private static List<Turn> ask(String text) {
        return List.of(new Turn(Turn.Role.USER, text));
    }

    @Test
    void should_classify_once_when_the_same_conversation_comes_again() {
        CachingClassifier cached = new CachingClassifier(counting, 1_000);

        Classification first = cached.classify(ask("review my code"));
        Classification second = cached.classify(ask("review my code"));

        assertThat(second).isEqualTo(first);
        assertThat(second.category()).isEqualTo("coding");
        assertThat(calls).hasValue(1);
    }

    @Test
    void should_classify_again_when_any_turn_differs() {
        CachingClassifier cached = new CachingClassifier(counting, 1_000);

        cached.classify(ask("review my code"));
        Classification other = cached.classify(ask("write me a poem"));
        cached.classify(List.of(new Turn(Turn.Role.SYSTEM, "be brief"), new Turn(Turn.Role.USER, "review my code")));

        assertThat(other.category()).isEqualTo("writing");
        assertThat(calls).hasValue(3);
    }

    @Test
    void should_keep_the_text_it_holds_under_its_bound_when_many_conversations_pass() {
        CachingClassifier cached = new CachingClassifier(counting, 2_000);

        for (int i = 0; i < 500; i++) {
            cached.classify(ask("conversation number " + i + " about code"));
        }

        assertThat(cached.size()).isPositive().isLessThan(500);
        assertThatThrownBy(() -> new CachingClassifier(counting, 0)).hasMessageContaining("maxChars");
    }
}

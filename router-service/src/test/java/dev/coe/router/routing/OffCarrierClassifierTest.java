package dev.coe.router.routing;

import dev.coe.classifier.CategoryClassifier;
import dev.coe.classifier.Category;
import dev.coe.classifier.Classification;
import dev.coe.classifier.Turn;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OffCarrierClassifierTest {

    private static final List<Turn> CONVERSATION = List.of(Turn.user("What is 2 + 2?"));

    private final RecordingClassifier recording = new RecordingClassifier();
    private final OffCarrierClassifier classifier = new OffCarrierClassifier(recording, 2);

    @Test
    void should_classify_on_a_platform_thread_when_called_from_a_virtual_thread() throws Exception {
        // when
        Classification result = onVirtualThread(() -> classifier.classify(CONVERSATION));

        // then
        assertThat(result.category()).isEqualTo("math");
        assertThat(recording.threads).singleElement().satisfies(t -> {
            assertThat(t.isVirtual()).isFalse();
            assertThat(t.getName()).startsWith("classifier-");
        });
    }

    @Test
    void should_classify_on_the_callers_thread_when_it_is_a_platform_thread() {
        // when
        classifier.classify(CONVERSATION);

        // then
        assertThat(recording.threads).containsExactly(Thread.currentThread());
    }

    @Test
    void should_pass_the_classifiers_own_exception_through_when_it_refuses_a_conversation() {
        // given
        IllegalArgumentException refusal = new IllegalArgumentException("the conversation has no text");
        OffCarrierClassifier refusing = new OffCarrierClassifier(new RecordingClassifier() {
            @Override
            public Classification classify(List<Turn> conversation) {
                throw refusal;
            }
        }, 1);

        // when / then
        assertThatThrownBy(() -> onVirtualThread(() -> refusing.classify(CONVERSATION))).isSameAs(refusal);
    }

    @Test
    void should_leave_the_virtual_threads_free_when_every_carrier_would_be_busy_classifying() throws Exception {
        // given: as many classifications as the virtual threads have carriers, each busy on the CPU until released.
        // A busy virtual thread keeps its carrier (they are not time-sliced), as one in a native call does; run on the
        // carriers, these would leave no carrier for anything else.
        int carriers = Runtime.getRuntime().availableProcessors();
        AtomicBoolean released = new AtomicBoolean();
        CountDownLatch busy = new CountDownLatch(carriers);
        OffCarrierClassifier spinning = new OffCarrierClassifier(new RecordingClassifier() {
            @Override
            public Classification classify(List<Turn> conversation) {
                busy.countDown();
                while (!released.get()) {
                    Thread.onSpinWait();
                }
                return super.classify(conversation);
            }
        }, carriers);
        List<CompletableFuture<Classification>> classifying = new ArrayList<>();
        for (int i = 0; i < carriers; i++) {
            classifying.add(CompletableFuture.supplyAsync(() -> spinning.classify(CONVERSATION),
                    command -> Thread.ofVirtual().start(command)));
        }
        try {
            assertThat(busy.await(5, TimeUnit.SECONDS)).isTrue();

            // when: other virtual threads (other requests) want to run meanwhile
            CountDownLatch ran = new CountDownLatch(4 * carriers);
            for (int i = 0; i < 4 * carriers; i++) {
                Thread.ofVirtual().start(ran::countDown);
            }

            // then: they ran while every classification was still busy
            assertThat(ran.await(5, TimeUnit.SECONDS)).as("other virtual threads ran").isTrue();
            assertThat(classifying).noneMatch(CompletableFuture::isDone);
        } finally {
            released.set(true);
        }
        for (CompletableFuture<Classification> f : classifying) {
            assertThat(f.get(5, TimeUnit.SECONDS).category()).isEqualTo("math");
        }
    }

    private static <T> T onVirtualThread(Supplier<T> work) throws Exception {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try {
                result.complete(work.get());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        }).join();
        try {
            return result.get();
        } catch (java.util.concurrent.ExecutionException e) {
            throw (Exception) (e.getCause() instanceof Exception ex ? ex : e);
        }
    }

    /** Answers "math" for everything and notes the thread it ran on. */
    private static class RecordingClassifier implements CategoryClassifier {
        final List<Thread> threads = new CopyOnWriteArrayList<>();

        @Override
        public Classification classify(List<Turn> conversation) {
            threads.add(Thread.currentThread());
            return new Classification("math", 0.9, Map.of("math", 0.9, "coding", 0.1));
        }

        @Override
        public List<Category> categories() {
            return List.of();
        }

        @Override
        public String name() {
            return "recording";
        }
    }
}

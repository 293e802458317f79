package dev.coe.router.routing;

import dev.coe.classifier.CategoryClassifier;
import dev.coe.classifier.Category;
import dev.coe.classifier.Classification;
import dev.coe.classifier.Turn;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
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

    @Test
    void should_give_a_classification_up_unrun_when_it_waited_longer_than_max_wait_for_a_thread() throws Exception {
        // given: the only thread is busy with a first classification while a second one queues
        OneBusyThread busy = new OneBusyThread();
        CompletableFuture<Classification> second = busy.classify();
        busy.now.awaitReads(4); // at construction, the first's queueing and start, then the second's queueing

        // when: the first pass ends after the second has waited 251 ms
        busy.now.advance(Duration.ofMillis(251));
        busy.release.countDown();

        // then: the first is answered, the second refused without a pass of its own
        assertThat(busy.first.get(5, TimeUnit.SECONDS).category()).isEqualTo("math");
        assertThatThrownBy(() -> second.get(5, TimeUnit.SECONDS)).cause()
                .isInstanceOf(ClassifierBusyException.class)
                .hasMessageContaining("did not start within 250 ms (waited 251 ms)");
        assertThat(busy.classifier.threads).hasSize(1);
    }

    @Test
    void should_classify_a_queued_conversation_when_a_thread_comes_free_within_max_wait() throws Exception {
        // given
        OneBusyThread busy = new OneBusyThread();
        CompletableFuture<Classification> second = busy.classify();
        busy.now.awaitReads(4); // at construction, the first's queueing and start, then the second's queueing

        // when: the first pass ends after the second has waited exactly the limit
        busy.now.advance(Duration.ofMillis(250));
        busy.release.countDown();

        // then
        assertThat(busy.first.get(5, TimeUnit.SECONDS).category()).isEqualTo("math");
        assertThat(second.get(5, TimeUnit.SECONDS).category()).isEqualTo("math");
        assertThat(busy.classifier.threads).hasSize(2);
    }

    @Test
    void should_refuse_at_once_without_queueing_when_the_tasks_ahead_would_outlast_max_wait() throws Exception {
        // given: one thread, busy; 25 classifications queued behind it, each foreseen to wait at most 25 passes of the
        // initial 10 ms estimate, i.e. the 250 ms limit
        OneBusyThread busy = new OneBusyThread();
        List<CompletableFuture<Classification>> accepted = new ArrayList<>(List.of(busy.first));
        for (int i = 1; i <= 25; i++) {
            accepted.add(busy.classify());
            busy.awaitQueued(i);
        }

        // when: one more arrives, 25 queued ahead of it: about 26 passes, 260 ms
        CompletableFuture<Classification> refused = busy.classify();

        // then: refused before the busy thread is released, and never queued
        assertThatThrownBy(() -> refused.get(5, TimeUnit.SECONDS)).cause()
                .isInstanceOf(ClassifierBusyException.class)
                .hasMessageContaining("would wait about 260 ms for a thread (25 queued ahead), over the 250 ms limit");
        assertThat(accepted).noneMatch(CompletableFuture::isDone);
        busy.release.countDown();
        for (CompletableFuture<Classification> f : accepted) {
            assertThat(f.get(5, TimeUnit.SECONDS).category()).isEqualTo("math");
        }
        assertThat(busy.classifier.threads).hasSize(26);
    }

    @Test
    void should_allow_only_a_tenth_of_max_wait_when_the_queue_has_stood_longer_than_max_wait() throws Exception {
        // given: one busy thread and a queue that has not been empty for 251 ms
        OneBusyThread busy = new OneBusyThread();
        CompletableFuture<Classification> old = busy.classify();
        busy.awaitQueued(1);
        busy.now.advance(Duration.ofMillis(251));

        // when: two more arrive; one queued ahead is about 20 ms, two are about 30 ms
        CompletableFuture<Classification> within = busy.classify();
        busy.awaitQueued(2);
        CompletableFuture<Classification> beyond = busy.classify();

        // then: the 25 ms limit of a standing queue applies
        assertThatThrownBy(() -> beyond.get(5, TimeUnit.SECONDS)).cause()
                .isInstanceOf(ClassifierBusyException.class)
                .hasMessageContaining("would wait about 30 ms for a thread (2 queued ahead), over the 25 ms limit"
                        + " (the queue has not been empty for 251 ms)");
        busy.release.countDown();
        assertThat(busy.first.get(5, TimeUnit.SECONDS).category()).isEqualTo("math");
        assertThatThrownBy(() -> old.get(5, TimeUnit.SECONDS)).cause().isInstanceOf(ClassifierBusyException.class);
        assertThat(within.get(5, TimeUnit.SECONDS).category()).isEqualTo("math");
        assertThat(busy.classifier.threads).hasSize(2);
    }

    @Test
    void should_refuse_a_max_wait_that_is_not_positive() {
        assertThatThrownBy(() -> new OffCarrierClassifier(recording, 1, Duration.ZERO, System::nanoTime))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxWait must be positive");
    }

    /** A clock that moves only when told, and counts how often it was read (to know that a task was queued). */
    private static final class Ticker implements LongSupplier {
        private final AtomicLong nanos = new AtomicLong();
        private final AtomicInteger reads = new AtomicInteger();

        @Override
        public long getAsLong() {
            reads.incrementAndGet();
            return nanos.get();
        }

        void advance(Duration by) {
            nanos.addAndGet(by.toNanos());
        }

        void awaitReads(int n) {
            long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (reads.get() < n) {
                assertThat(System.nanoTime()).as("clock read " + n + " times").isLessThan(giveUp);
                Thread.onSpinWait();
            }
        }
    }

    /**
     * An {@link OffCarrierClassifier} with one thread, a 250 ms limit and a {@link Ticker}, whose thread is busy with a
     * first classification (answered "math") until {@link #release} is counted down.
     */
    private static final class OneBusyThread {
        final Ticker now = new Ticker();
        final CountDownLatch release = new CountDownLatch(1);
        final RecordingClassifier classifier;
        final OffCarrierClassifier offCarrier;
        final CompletableFuture<Classification> first;

        OneBusyThread() throws InterruptedException {
            CountDownLatch started = new CountDownLatch(1);
            AtomicBoolean firstCall = new AtomicBoolean(true);
            classifier = new RecordingClassifier() {
                @Override
                public Classification classify(List<Turn> conversation) {
                    if (firstCall.getAndSet(false)) {
                        started.countDown();
                        try {
                            release.await(5, TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                    return super.classify(conversation);
                }
            };
            offCarrier = new OffCarrierClassifier(classifier, 1, Duration.ofMillis(250), now);
            first = classify();
            assertThat(started.await(5, TimeUnit.SECONDS)).as("first classification started").isTrue();
        }

        /**
         * Waits until {@code n} classifications are queued behind the busy one. Not the clock's reads: a task reads
         * the clock before it is queued, and one that arrives in between would see one fewer ahead of it.
         */
        void awaitQueued(int n) {
            long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (offCarrier.queued() < n) {
                assertThat(System.nanoTime()).as(n + " classifications queued").isLessThan(giveUp);
                Thread.onSpinWait();
            }
        }

        /** Classifies on a new virtual thread, as a request does. */
        CompletableFuture<Classification> classify() {
            return CompletableFuture.supplyAsync(() -> offCarrier.classify(CONVERSATION), command -> Thread.ofVirtual().start(command));
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

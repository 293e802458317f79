package dev.coe.router.chat;

import dev.coe.gateway.ExpertId;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/** How the bridge hands pieces of a streamed answer to the request thread, or writes them where they arrive. */
class StreamBridgeTest {

    private final StreamBridge bridge = new StreamBridge(new ExpertId("e"));
    private final List<String> written = new CopyOnWriteArrayList<>();

    private StreamBridge.Sink recording() {
        return piece -> written.add(((StreamBridge.Text) piece).text() + " on " + Thread.currentThread().getName());
    }

    private static void onThread(String name, Runnable work) throws InterruptedException {
        Thread thread = Thread.ofVirtual().name(name).start(work);
        thread.join(Duration.ofSeconds(10));
    }

    @Test
    void should_write_each_piece_on_the_providers_thread_when_relaying_directly() throws Exception {
        // given
        assertThat(bridge.relayDirectly(recording())).isTrue();

        // when
        onThread("provider", () -> {
            bridge.onPartialResponse("Once");
            bridge.onPartialResponse(" upon");
        });

        // then: written in order where they arrived, and nothing woke the request thread
        assertThat(written).containsExactly("Once on provider", " upon on provider");
        assertThat(bridge.poll()).isNull();
    }

    @Test
    void should_refuse_to_relay_directly_when_pieces_are_still_queued() {
        // given: a piece the request thread has not taken yet
        bridge.onPartialResponse("Once");

        // when / then: it must be written first, by the request thread, or the order would break
        assertThat(bridge.relayDirectly(recording())).isFalse();
        assertThat(bridge.poll()).isEqualTo(new StreamBridge.Text("Once"));
        assertThat(bridge.relayDirectly(recording())).isTrue();
    }

    @Test
    void should_wake_the_request_thread_with_client_gone_and_drop_later_pieces_when_a_write_fails() throws Exception {
        // given
        IOException reset = new IOException("Connection reset by peer");
        bridge.relayDirectly(piece -> {
            written.add("tried");
            throw reset;
        });

        // when
        onThread("provider", () -> {
            bridge.onPartialResponse("Once");
            bridge.onPartialResponse(" upon");
        });

        // then
        assertThat(bridge.take()).isEqualTo(new StreamBridge.ClientGone(reset));
        assertThat(written).containsExactly("tried");
    }

    @Test
    void should_queue_the_end_of_the_stream_for_the_request_thread_even_when_relaying_directly() throws Exception {
        // given
        bridge.relayDirectly(recording());

        // when
        onThread("provider", () -> {
            bridge.onPartialResponse("Once");
            bridge.onError(new IllegalStateException("boom"));
        });

        // then
        assertThat(written).containsExactly("Once on provider");
        assertThat(bridge.take()).isInstanceOf(StreamBridge.Failed.class);
    }

    @Test
    void should_drop_pieces_that_arrive_after_the_request_thread_wrote_the_end() throws Exception {
        // given
        bridge.relayDirectly(recording());
        bridge.end(() -> written.add("end"));

        // when
        onThread("provider", () -> bridge.onPartialResponse("late"));

        // then
        assertThat(written).containsExactly("end");
    }
}

package dev.coe.classifier.embedding;

import dev.coe.classifier.embedding.TextWindow.Chunk;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TextWindowTest {

    private static final String PASTE = "filler words here ".repeat(500).strip();

    @Test
    void should_keep_the_whole_text_when_it_is_at_most_two_chunks_long() {
        // given
        String text = "  Explain recursion.  ";

        // when
        List<Chunk> chunks = TextWindow.chunks(text, 100);

        // then
        assertThat(chunks).containsExactly(new Chunk("Explain recursion.", 1.0));
    }

    @Test
    void should_embed_head_and_tail_cut_at_whitespace_when_a_long_text_has_no_paragraphs() {
        // given
        String text = "Summarise the report below. " + PASTE + " What are the key risks?";

        // when
        List<Chunk> chunks = TextWindow.chunks(text, 100);

        // then
        assertThat(chunks).hasSize(2).allSatisfy(chunk -> {
            assertThat(chunk.weight()).isEqualTo(1.0);
            assertThat(TextWindow.estimateTokens(chunk.text())).isBetween(90.0, 100.0);
        });
        String head = chunks.get(0).text();
        String tail = chunks.get(1).text();
        assertThat(head).startsWith("Summarise the report below.");
        assertThat(tail).endsWith("What are the key risks?");
        // cut at whitespace: no word is split
        assertThat(Character.isWhitespace(text.charAt(head.length()))).isTrue();
        assertThat(Character.isWhitespace(text.charAt(text.length() - tail.length() - 1))).isTrue();
    }

    @Test
    void should_add_the_last_paragraph_with_more_weight_when_a_question_follows_a_long_paste() {
        // given
        String text = PASTE + "\n\nWhat does this log say about the outage?";

        // when
        List<Chunk> chunks = TextWindow.chunks(text, 100);

        // then
        assertThat(chunks).hasSize(3);
        assertThat(chunks.get(0).text()).startsWith("filler");
        assertThat(chunks.get(1).text()).endsWith("What does this log say about the outage?");
        assertThat(chunks.get(2)).isEqualTo(
                new Chunk("What does this log say about the outage?", TextWindow.PARAGRAPH_WEIGHT, true));
    }

    @Test
    void should_add_the_first_paragraph_with_more_weight_when_an_instruction_precedes_a_long_paste() {
        // given
        String text = "Translate the letter below into French.\n \n" + PASTE;

        // when
        List<Chunk> chunks = TextWindow.chunks(text, 100);

        // then
        assertThat(chunks).hasSize(3);
        assertThat(chunks.get(0)).isEqualTo(
                new Chunk("Translate the letter below into French.", TextWindow.PARAGRAPH_WEIGHT, true));
        assertThat(chunks.subList(1, 3)).extracting(Chunk::weight).containsOnly(1.0);
    }

    @Test
    void should_not_weigh_a_greeting_or_sign_off_when_it_is_shorter_than_an_instruction() {
        // given
        String text = "Hello!\n\n" + PASTE + "\n\nThanks in advance!";

        // when
        List<Chunk> chunks = TextWindow.chunks(text, 100);

        // then
        assertThat(chunks).hasSize(2).extracting(Chunk::weight).containsOnly(1.0);
    }

    @Test
    void should_bound_chunks_by_tokens_not_characters_when_the_text_is_chinese() {
        // given
        String text = "光合作用把光能转化为化学能。".repeat(1_000);

        // when
        List<Chunk> chunks = TextWindow.chunks(text, 400);

        // then
        assertThat(chunks).hasSize(2).allSatisfy(chunk -> assertThat(chunk.text()).hasSize(400));
    }

    @Test
    void should_estimate_a_base64_blob_as_many_tokens_when_its_words_are_very_long() {
        // given
        String prose = "The quick brown fox jumps over the lazy dog";
        String blob = "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo0MTIzNDU2Nzg5MA";

        // when
        double proseTokens = TextWindow.estimateTokens(prose);
        double blobTokens = TextWindow.estimateTokens(blob);

        // then
        assertThat(proseTokens).isBetween(9.0, 14.0);
        assertThat(blobTokens).isGreaterThan(20.0);
    }

    @Test
    void should_not_split_a_surrogate_pair_when_a_long_text_has_no_whitespace() {
        // given
        String text = "\uD83D\uDE00".repeat(1_000);

        // when
        List<Chunk> chunks = TextWindow.chunks(text, 301);

        // then
        assertThat(chunks).hasSize(2).allSatisfy(chunk -> {
            assertThat(chunk.text().codePointCount(0, chunk.text().length())).isEqualTo(301);
            assertThat(Character.isLowSurrogate(chunk.text().charAt(0))).isFalse();
            assertThat(Character.isHighSurrogate(chunk.text().charAt(chunk.text().length() - 1))).isFalse();
        });
    }
}

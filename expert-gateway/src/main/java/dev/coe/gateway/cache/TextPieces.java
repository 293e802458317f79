package dev.coe.gateway.cache;

import java.util.ArrayList;
import java.util.List;

/** Cuts an answer's text into stream-sized pieces. Stateless and thread-safe. */
final class TextPieces {

    static final int MIN_PIECE_CHARS = 16;
    static final int MAX_PIECE_CHARS = 32;

    private TextPieces() {
    }

    /**
     * Pieces of at most {@link #MAX_PIECE_CHARS} characters whose concatenation is {@code text}. Each piece ends
     * after a whitespace character, the last one at or after {@link #MIN_PIECE_CHARS} if there is one, so words
     * stay whole; a word longer than a piece is cut, but never between the two halves of a surrogate pair.
     */
    static List<String> split(String text) {
        List<String> pieces = new ArrayList<>();
        if (text == null || text.isEmpty()) {
            return pieces;
        }
        int start = 0;
        while (text.length() - start > MAX_PIECE_CHARS) {
            int end = endOfPiece(text, start);
            pieces.add(text.substring(start, end));
            start = end;
        }
        pieces.add(text.substring(start));
        return pieces;
    }

    /** The end (exclusive) of the piece that starts at {@code start}; more than MAX_PIECE_CHARS remain. */
    private static int endOfPiece(String text, int start) {
        int end = lastBreak(text, start + MIN_PIECE_CHARS, start + MAX_PIECE_CHARS);
        if (end < 0) {
            end = lastBreak(text, start + 1, start + MIN_PIECE_CHARS - 1);
        }
        if (end < 0) {
            end = start + MAX_PIECE_CHARS;
            if (Character.isHighSurrogate(text.charAt(end - 1)) && Character.isLowSurrogate(text.charAt(end))) {
                end--;
            }
        }
        return end;
    }

    /** The largest end in [from, to] whose previous character is whitespace, or -1. Whitespace is never a surrogate. */
    private static int lastBreak(String text, int from, int to) {
        for (int end = to; end >= from; end--) {
            if (Character.isWhitespace(text.charAt(end - 1))) {
                return end;
            }
        }
        return -1;
    }
}

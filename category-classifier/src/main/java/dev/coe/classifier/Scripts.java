package dev.coe.classifier;

import java.util.List;

/**
 * Which writing system a prompt is in, as far as routing needs to know: the bundled embedding models read English,
 * and a prompt whose letters are mostly Chinese, Cyrillic, Japanese, Arabic and so on gets a distribution that only
 * looks calibrated (measured in the module README, "How it works"). Latin-script languages other than
 * English are not caught here; the README gives their figures. Stateless.
 */
public final class Scripts {

    private Scripts() {
    }

    /**
     * Whether more than half of the letters of the conversation's latest user turn (of its latest turn when it has
     * no user turn) are in a script other than Latin. Digits, punctuation, symbols and emoji are not letters and do
     * not count, so code, formulas and an emoji-only prompt are not foreign; a turn without letters is not either.
     */
    public static boolean mostlyForeign(List<Turn> conversation) {
        for (int i = conversation.size() - 1; i >= 0; i--) {
            if (conversation.get(i).role() == Turn.Role.USER) {
                return mostlyForeign(conversation.get(i).text());
            }
        }
        return !conversation.isEmpty() && mostlyForeign(conversation.getLast().text());
    }

    /** {@link #mostlyForeign(List)} for one text. */
    public static boolean mostlyForeign(CharSequence text) {
        int latin = 0;
        int foreign = 0;
        for (int i = 0; i < text.length(); ) {
            int cp = Character.codePointAt(text, i);
            i += Character.charCount(cp);
            if (!Character.isLetter(cp)) {
                continue;
            }
            if (cp < 0x80 || Character.UnicodeScript.of(cp) == Character.UnicodeScript.LATIN) { // ASCII: no look-up
                latin++;
            } else {
                foreign++;
            }
        }
        return foreign > latin;
    }
}

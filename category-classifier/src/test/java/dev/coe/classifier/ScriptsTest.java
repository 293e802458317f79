package dev.coe.classifier;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ScriptsTest {

    @ParameterizedTest
    @ValueSource(strings = {
            "写一首关于春天的短诗。",
            "Объясни, как работает фотосинтез.",
            "日本の江戸時代の鎖国政策について説明してください。",
            "ما هي عاصمة أستراليا؟",
            "서울에서 부산까지 기차로 얼마나 걸려요?",
            "Πώς λειτουργεί ένας μετασχηματιστής;",
            // an English request about a longer foreign text: the text is what the model would have to read
            "Translate: 这是一个关于人工智能在医疗领域应用的长篇报告，讨论了诊断、药物研发和患者管理等多个方面。",
    })
    void should_call_a_prompt_foreign_when_most_of_its_letters_are_not_latin(String prompt) {
        assertThat(Scripts.mostlyForeign(prompt)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "Write a haiku about rain.",
            "¿Puedes escribir un poema corto sobre el mar?",
            "Berechne die Ableitung von sin(x) * x^2.",
            "def gcd(a, b): return a if b == 0 else gcd(b, a % b)",
            "Compute ∫ α·e^(βx) dx for α = 2, β = 3, and explain each step.",
            "What does 你好 mean in English?",
            "🤖💬❓",
            "12345 + 678 = ?",
            "",
    })
    void should_not_call_a_prompt_foreign_when_its_letters_are_mostly_latin_or_it_has_none(String prompt) {
        assertThat(Scripts.mostlyForeign(prompt)).isFalse();
    }

    @Test
    void should_judge_the_latest_user_turn_when_the_conversation_changes_language() {
        // given
        List<Turn> toRussian = List.of(Turn.user("Explain photosynthesis."), new Turn(Turn.Role.ASSISTANT, "Plants..."),
                Turn.user("А теперь объясни это по-русски, пожалуйста."));
        List<Turn> toEnglish = List.of(Turn.user("Объясни фотосинтез."), new Turn(Turn.Role.ASSISTANT, "Растения..."),
                Turn.user("Now in English, please."));

        // then
        assertThat(Scripts.mostlyForeign(toRussian)).isTrue();
        assertThat(Scripts.mostlyForeign(toEnglish)).isFalse();
        assertThat(Scripts.mostlyForeign(List.of(new Turn(Turn.Role.SYSTEM, "Отвечай кратко.")))).isTrue();
        assertThat(Scripts.mostlyForeign(List.of())).isFalse();
    }

    @Test
    void should_count_uncertain_at_any_threshold_above_zero_when_the_prompt_is_in_a_foreign_script() {
        // given
        Classification latin = new Classification("math", 0.95, java.util.Map.of("math", 0.95, "stem", 0.05));
        Classification foreign = latin.withForeignScript(true);

        // then
        assertThat(latin.isUncertain(0.3)).isFalse();
        assertThat(foreign.isUncertain(0.3)).isTrue();
        assertThat(foreign.isUncertain(0.0)).as("an operator's threshold of 0 routes by category whatever the script").isFalse();
        assertThat(foreign.confidence()).isEqualTo(0.95);
        assertThat(foreign.distribution()).isEqualTo(latin.distribution());
        assertThat(latin.withForeignScript(false)).isSameAs(latin);
    }
}

package dev.coe.gateway.cache;

import dev.coe.gateway.ExpertRequest;
import dev.langchain4j.data.message.UserMessage;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class CachePolicyTest {

    @ParameterizedTest(name = "temperature {0}, seed {1} -> {2}")
    @CsvSource({
            "0.0,  ,   true",
            "0,    ,   true",
            "0.7,  7,  true",
            "   ,  7,  true",
            "0.7,  ,   false",
            "   ,  ,   false",
            "1e-9, ,   false"})
    void should_be_deterministic_when_temperature_is_zero_or_a_seed_is_set(Double temperature, Long seed, boolean expected) {
        assertThat(CachePolicy.deterministic(request(temperature, seed))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}, deterministic {1} -> read {2}, store {3}")
    @CsvSource({
            "DEFAULT, true,  true,  true",
            "DEFAULT, false, false, false",
            "FORCE,   true,  true,  true",
            "FORCE,   false, true,  true",
            "REFRESH, true,  false, true",
            "REFRESH, false, false, false",
            "BYPASS,  true,  false, false",
            "BYPASS,  false, false, false"})
    void should_read_and_store_when_directive_and_determinism_allow(CacheDirective directive, boolean deterministic,
                                                                   boolean read, boolean store) {
        // given
        ExpertRequest request = deterministic ? request(0.0, null) : request(0.8, null);

        // then
        assertThat(CachePolicy.mayRead(request, directive)).isEqualTo(read);
        assertThat(CachePolicy.mayStore(request, directive)).isEqualTo(store);
    }

    private static ExpertRequest request(Double temperature, Long seed) {
        return ExpertRequest.builder(List.of(UserMessage.from("x"))).temperature(temperature).seed(seed).build();
    }
}

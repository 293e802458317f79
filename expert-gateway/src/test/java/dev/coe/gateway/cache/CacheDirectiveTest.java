package dev.coe.gateway.cache;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CacheDirectiveTest {

    @Test
    void should_be_default_when_no_header_is_given() {
        assertThat(CacheDirective.fromHeaders(null, null)).isEqualTo(CacheDirective.DEFAULT);
    }

    @ParameterizedTest(name = "Cache-Control: [{0}] -> {1}")
    @CsvSource(delimiter = '|', value = {
            "no-cache                     | REFRESH",
            "No-Cache                     | REFRESH",
            "max-age=0, no-cache          | REFRESH",
            "no-store                     | BYPASS",
            "NO-STORE                     | BYPASS",
            "no-cache, no-store           | BYPASS",
            "no-store,no-cache            | BYPASS",
            "'no-cache=\"x-foo\", max-age=5' | REFRESH",
            "max-age=60                   | DEFAULT",
            "no-transform                 | DEFAULT",
            "''                           | DEFAULT",
            "no-cacheable                 | DEFAULT"})
    void should_read_cache_control_when_it_is_a_list_in_any_case(String cacheControl, CacheDirective expected) {
        assertThat(CacheDirective.fromHeaders(cacheControl, null)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "x-coe-cache: [{0}] -> {1}")
    @CsvSource(delimiter = '|', value = {
            "force    | FORCE",
            "FORCE    | FORCE",
            "' force '| FORCE",
            "refresh  | REFRESH",
            "bypass   | BYPASS",
            "Bypass   | BYPASS",
            "''       | DEFAULT",
            "'  '     | DEFAULT"})
    void should_read_the_coe_cache_header_when_its_value_is_known(String coeCache, CacheDirective expected) {
        assertThat(CacheDirective.fromHeaders(null, coeCache)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "Cache-Control: {0}, x-coe-cache: {1} -> {2}")
    @CsvSource({
            "no-cache, force, REFRESH",
            "no-store, force, BYPASS",
            "no-store, refresh, BYPASS",
            "no-cache, bypass, BYPASS",
            "max-age=5, force, FORCE",
            "max-age=5, refresh, REFRESH"})
    void should_take_the_most_restrictive_when_the_headers_disagree(String cacheControl, String coeCache,
                                                                     CacheDirective expected) {
        assertThat(CacheDirective.fromHeaders(cacheControl, coeCache)).isEqualTo(expected);
    }

    @Test
    void should_name_the_value_when_the_coe_cache_header_is_unknown() {
        assertThatThrownBy(() -> CacheDirective.fromHeaders(null, "always"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("x-coe-cache must be one of force, refresh or bypass, but was 'always'");
    }

    @Test
    void should_give_lowercase_header_values_for_statuses() {
        assertThat(CacheStatus.HIT.headerValue()).isEqualTo("hit");
        assertThat(CacheStatus.MISS.headerValue()).isEqualTo("miss");
        assertThat(CacheStatus.BYPASS.headerValue()).isEqualTo("bypass");
    }
}

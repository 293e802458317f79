package dev.coe.router.system;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import static org.assertj.core.api.Assertions.assertThat;

class RequestIdFilterTest {

    @Test
    void should_answer_with_the_clients_id_and_hand_the_same_to_the_controller_when_it_is_a_plain_token() throws Exception {
        // given
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/v1/chat/completions");
        request.addHeader(RequestIdFilter.HEADER, "trace-42:a.b_c");
        MockHttpServletResponse response = new MockHttpServletResponse();

        // when
        new RequestIdFilter().doFilter(request, response, new MockFilterChain());

        // then
        assertThat(response.getHeader(RequestIdFilter.HEADER)).isEqualTo("trace-42:a.b_c");
        assertThat(RequestIdFilter.of(request)).isEqualTo("trace-42:a.b_c");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "has space", "line\nbreak", "<script>", "ünïcode"})
    void should_give_a_new_id_when_the_clients_is_not_a_plain_token(String offered) {
        assertThat(RequestIdFilter.accept(offered)).startsWith("req-").isNotEqualTo(offered).matches("req-[0-9a-f]{32}");
    }

    @Test
    void should_give_a_new_id_when_the_clients_is_longer_than_128() {
        assertThat(RequestIdFilter.accept("a".repeat(128))).isEqualTo("a".repeat(128));
        assertThat(RequestIdFilter.accept("a".repeat(129))).startsWith("req-");
    }

    @Test
    void should_give_each_request_its_own_id_and_keep_it_for_the_request_when_none_is_offered() {
        // given
        MockHttpServletRequest first = new MockHttpServletRequest("GET", "/v1/models");
        MockHttpServletRequest second = new MockHttpServletRequest("GET", "/v1/models");

        // when
        String id = RequestIdFilter.of(first);

        // then
        assertThat(RequestIdFilter.of(first)).isEqualTo(id);
        assertThat(RequestIdFilter.of(second)).isNotEqualTo(id);
    }
}

package dev.coe.router.system;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ApiCorsTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final CorsProperties APP = new CorsProperties(List.of("https://app.example", "https://*.tools.example"),
            Duration.ofMinutes(10));

    @Test
    void should_answer_a_preflight_itself_without_passing_it_on_when_the_origin_is_listed() throws Exception {
        // given: the headers OpenAI's JavaScript SDK asks for
        MockHttpServletRequest preflight = preflight("https://app.example", "authorization, content-type, x-stainless-os");
        MockHttpServletResponse response = new MockHttpServletResponse();
        MockFilterChain chain = new MockFilterChain();

        // when
        ApiCors.filter(APP, JSON).doFilter(preflight, response, chain);

        // then: the key check behind the filter never sees it, as a preflight carries no key
        assertThat(chain.getRequest()).isNull();
        assertThat(response.getStatus()).isEqualTo(200);
        assertThat(response.getHeader("Access-Control-Allow-Origin")).isEqualTo("https://app.example");
        assertThat(response.getHeader("Access-Control-Allow-Methods")).contains("POST");
        assertThat(response.getHeader("Access-Control-Allow-Headers")).contains("authorization", "x-stainless-os");
        assertThat(response.getHeader("Access-Control-Max-Age")).isEqualTo("600");
        assertThat(response.getHeader("Access-Control-Allow-Credentials")).isNull();
    }

    @Test
    void should_pass_a_request_from_a_listed_origin_on_and_expose_every_response_header() throws Exception {
        // given
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/v1/chat/completions");
        request.addHeader("Origin", "https://ops.tools.example");
        MockHttpServletResponse response = new MockHttpServletResponse();
        MockFilterChain chain = new MockFilterChain();

        // when
        ApiCors.filter(APP, JSON).doFilter(request, response, chain);

        // then
        assertThat(chain.getRequest()).isSameAs(request);
        assertThat(response.getHeader("Access-Control-Allow-Origin")).isEqualTo("https://ops.tools.example");
        assertThat(response.getHeader("Access-Control-Expose-Headers")).isEqualTo("*");
    }

    @Test
    void should_refuse_an_origin_not_listed_with_a_403_in_openai_shape() throws Exception {
        // given
        MockHttpServletRequest preflight = preflight("https://evil.example", "authorization");
        MockHttpServletResponse response = new MockHttpServletResponse();
        MockFilterChain chain = new MockFilterChain();

        // when
        ApiCors.filter(APP, JSON).doFilter(preflight, response, chain);

        // then
        assertThat(chain.getRequest()).isNull();
        assertThat(response.getStatus()).isEqualTo(403);
        assertThat(response.getHeader("Access-Control-Allow-Origin")).isNull();
        JsonNode error = JSON.readTree(response.getContentAsString()).path("error");
        assertThat(error.path("type").asString()).isEqualTo("invalid_request_error");
        assertThat(error.path("code").asString()).isEqualTo("cors_not_allowed");
        assertThat(error.path("message").asString()).contains("coe.cors.allowed-origins");
    }

    @Test
    void should_leave_requests_without_an_origin_alone() throws Exception {
        // given: an SDK or a server
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/v1/chat/completions");
        MockHttpServletResponse response = new MockHttpServletResponse();
        MockFilterChain chain = new MockFilterChain();

        // when
        ApiCors.filter(APP, JSON).doFilter(request, response, chain);

        // then
        assertThat(chain.getRequest()).isSameAs(request);
        assertThat(response.getHeaderNames()).noneMatch(name -> name.startsWith("Access-Control"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"app.example", "https://app.example/chat", "https://app.example?x=1", "ftp://app.example", ""})
    void should_refuse_at_start_a_setting_that_is_not_an_origin(String origin) {
        assertThatThrownBy(() -> new CorsProperties(List.of(origin), Duration.ofHours(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("coe.cors.allowed-origins").hasMessageContaining("'" + origin + "'");
    }

    @Test
    void should_be_off_by_default_and_take_any_page_only_when_told() {
        assertThat(new CorsProperties(List.of(), Duration.ofHours(1)).enabled()).isFalse();
        assertThat(new CorsProperties(List.of("*"), Duration.ofHours(1)).enabled()).isTrue();
        assertThat(new CorsProperties(List.of("http://localhost:3000", "https://app.example/"), Duration.ZERO).enabled())
                .isTrue();
    }

    @Test
    void should_read_a_comma_separated_variable_and_an_empty_one_as_off() {
        // as docker-compose passes COE_CORS_ALLOWED_ORIGINS: set, or empty when .env leaves it blank
        assertThat(bind("https://app.example, http://localhost:3000").allowedOrigins())
                .containsExactly("https://app.example", "http://localhost:3000");
        assertThat(bind("").enabled()).isFalse();
        assertThat(bind("").maxAge()).isEqualTo(Duration.ofHours(1));
    }

    private static CorsProperties bind(String origins) {
        MapConfigurationPropertySource source = new MapConfigurationPropertySource(Map.of("coe.cors.allowed-origins", origins));
        return new Binder(source).bindOrCreate("coe.cors", CorsProperties.class);
    }

    private static MockHttpServletRequest preflight(String origin, String headers) {
        MockHttpServletRequest preflight = new MockHttpServletRequest("OPTIONS", "/v1/chat/completions");
        preflight.setRequestURI("/v1/chat/completions");
        preflight.addHeader("Origin", origin);
        preflight.addHeader("Access-Control-Request-Method", "POST");
        preflight.addHeader("Access-Control-Request-Headers", headers);
        return preflight;
    }
}

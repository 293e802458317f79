package dev.coe.router.system;

import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.DefaultCorsProcessor;
import org.springframework.web.cors.UrlBasedCorsConfigurationSource;
import org.springframework.web.filter.CorsFilter;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.util.List;

/**
 * CORS on {@code /v1/**} as a servlet filter, ahead of the client-key check: a browser's preflight request carries no
 * {@code Authorization} header, so it must be answered before a key is asked for. Every response header is exposed to
 * the page's script (the routing headers, {@code x-request-id}, {@code Retry-After}), and a refused origin gets
 * OpenAI's error shape like every other {@code /v1} error.
 */
final class ApiCors {

    private ApiCors() {
    }

    static CorsFilter filter(CorsProperties properties, JsonMapper json) {
        CorsConfiguration configuration = new CorsConfiguration();
        configuration.setAllowedOriginPatterns(properties.allowedOrigins());
        configuration.setAllowedMethods(List.of(HttpMethod.GET.name(), HttpMethod.POST.name()));
        configuration.setAllowedHeaders(List.of(CorsConfiguration.ALL));
        configuration.setExposedHeaders(List.of(CorsConfiguration.ALL));
        configuration.setAllowCredentials(false);
        configuration.setMaxAge(properties.maxAge());
        UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
        source.registerCorsConfiguration("/v1/**", configuration);
        CorsFilter filter = new CorsFilter(source);
        filter.setCorsProcessor(new OpenAiShapedRefusal(json));
        return filter;
    }

    private static final class OpenAiShapedRefusal extends DefaultCorsProcessor {

        private final JsonMapper json;

        OpenAiShapedRefusal(JsonMapper json) {
            this.json = json;
        }

        @Override
        protected void rejectRequest(ServerHttpResponse response) throws IOException {
            response.setStatusCode(HttpStatus.FORBIDDEN);
            response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
            json.writeValue(response.getBody(), OpenAiError.of("This origin, method or header is not allowed to call "
                    + "the router from a browser; the router's operator lists allowed pages in coe.cors.allowed-origins.",
                    "invalid_request_error", null, "cors_not_allowed"));
            response.flush();
        }
    }
}

package dev.coe.router.system;

import org.apache.catalina.core.StandardHost;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.core.Ordered;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.web.filter.CorsFilter;
import tools.jackson.databind.json.JsonMapper;

/** Process-wide pieces: where the user-edited config lives, request ids and CORS on /v1, and the shape of errors Tomcat answers itself. */
@Configuration(proxyBeanMethods = false)
class SystemConfiguration {

    @Bean
    ConfigFiles configFiles(CoeProperties properties, Environment environment) {
        return new ConfigFiles(properties.configDir(), environment);
    }

    /** First of all filters, so that every /v1 answer carries its id, whoever writes it. */
    @Bean
    FilterRegistrationBean<RequestIdFilter> requestIds() {
        FilterRegistrationBean<RequestIdFilter> registration = new FilterRegistrationBean<>(new RequestIdFilter());
        registration.addUrlPatterns("/v1/*");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }

    /** Right after the request id, so that a refused or preflight answer carries one too; off unless origins are listed. */
    @Bean
    FilterRegistrationBean<CorsFilter> apiCors(CorsProperties properties, JsonMapper json) {
        FilterRegistrationBean<CorsFilter> registration = new FilterRegistrationBean<>(ApiCors.filter(properties, json));
        registration.addUrlPatterns("/v1/*");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 1);
        registration.setEnabled(properties.enabled());
        return registration;
    }

    /**
     * Replaces Tomcat's HTML error page for requests it refuses before the application sees them (see
     * {@link JsonErrorReportValve}). The host is not started yet when contexts are customised, so naming the class
     * keeps Tomcat from adding its own valve beside this one.
     */
    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> jsonErrorReports() {
        return factory -> factory.addContextCustomizers(context -> {
            if (context.getParent() instanceof StandardHost host) {
                host.setErrorReportValveClass(JsonErrorReportValve.class.getName());
            }
        });
    }
}

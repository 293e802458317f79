package dev.coe.router.system;

import org.apache.catalina.core.StandardHost;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/** Process-wide pieces: where the user-edited config lives, and the shape of errors Tomcat answers itself. */
@Configuration(proxyBeanMethods = false)
class SystemConfiguration {

    @Bean
    ConfigFiles configFiles(CoeProperties properties, Environment environment) {
        return new ConfigFiles(properties.configDir(), environment);
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

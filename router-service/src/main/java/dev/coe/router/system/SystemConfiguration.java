package dev.coe.router.system;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/** Process-wide pieces: where the user-edited config lives. */
@Configuration(proxyBeanMethods = false)
class SystemConfiguration {

    @Bean
    ConfigFiles configFiles(CoeProperties properties, Environment environment) {
        return new ConfigFiles(properties.configDir(), environment);
    }
}

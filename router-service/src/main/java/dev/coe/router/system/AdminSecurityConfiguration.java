package dev.coe.router.system;

import java.util.List;

import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.web.servlet.DelegatingFilterProxyRegistrationBean;
import org.springframework.security.web.util.matcher.AnyRequestMatcher;
import com.github.benmanes.caffeine.cache.Ticker;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.ApplicationListener;
import org.springframework.security.authentication.AuthenticationEventPublisher;
import org.springframework.security.authentication.DefaultAuthenticationEventPublisher;
import org.springframework.security.authentication.event.AuthenticationFailureBadCredentialsEvent;
import org.springframework.security.web.authentication.UsernamePasswordAuthenticationFilter;
import org.springframework.security.web.authentication.WebAuthenticationDetails;
import org.springframework.security.web.savedrequest.HttpSessionRequestCache;
import org.springframework.security.web.savedrequest.RequestCache;
import tools.jackson.databind.json.JsonMapper;

import java.security.SecureRandom;
import java.util.Base64;

/**
 * Security for {@code /admin/**} only: HTTP Basic for the API, a login form for the browser. Every other path
 * ({@code /v1/**}, {@code /actuator/**}) matches no security filter chain and stays open exactly as before.
 *
 * <p>CSRF protection is on for browser sessions (form login). It is not required from a request without a session
 * cookie ({@link #withoutSession}). No API call, refused or not, opens a server-side session.
 */
@Configuration(proxyBeanMethods = false)
class AdminSecurityConfiguration {

    private static final Logger log = LoggerFactory.getLogger(AdminSecurityConfiguration.class);

    /** Spring Security's generated login page; part of the admin chain so that the rest of the app stays unfiltered. */
    static final String LOGIN_PAGE = "/login";

    /** Where a browser lands after logging in, unless it was sent to the login page from somewhere else. */
    static final String ADMIN_HOME = "/admin";

    /** The generated login page's stylesheet, served by Spring Security's own filter inside this chain. */
    static final String LOGIN_STYLES = "/default-ui.css";

    private static final int GENERATED_PASSWORD_BYTES = 18;

    /**
     * The dashboard loads scripts and styles from this origin only (its own files and the Chart.js WebJar), so a string
     * that slipped into the page as markup could still not run. Inline styles stay allowed for the login page.
     */
    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
            + "img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    /**
     * Registers Spring Security's servlet filter for the paths of its one chain only. Otherwise every request, the
     * {@code /v1/**} hot path included, passes through the filter chain proxy (firewall, matching, observation
     * wrappers) just to find that no chain applies; profiles of the router under load showed that cost.
     */
    @Bean
    static BeanPostProcessor securityFilterOnAdminPathsOnly() {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessBeforeInitialization(Object bean, String name) {
                if (bean instanceof DelegatingFilterProxyRegistrationBean registration && "securityFilterChainRegistration".equals(name)) {
                    registration.setUrlPatterns(List.of(Problems.ADMIN_PREFIX, Problems.ADMIN_PREFIX + "/*", LOGIN_PAGE, "/logout",
                            LOGIN_STYLES));
                }
                return bean;
            }
        };
    }

    @Bean
    SecurityFilterChain adminSecurity(HttpSecurity http, JsonMapper json, AdminLoginThrottle throttle) throws Exception {
        AdminAuthenticationEntryPoint entryPoint = new AdminAuthenticationEntryPoint(LOGIN_PAGE, json);
        http.securityMatcher(Problems.ADMIN_PREFIX, Problems.ADMIN_PREFIX + "/**", LOGIN_PAGE, "/logout", LOGIN_STYLES)
                // Before both ways of logging in (the form's filter runs before Basic's).
                .addFilterBefore(new LoginThrottleFilter(throttle, LOGIN_PAGE, json), UsernamePasswordAuthenticationFilter.class)
                .authorizeHttpRequests(authorize -> authorize.anyRequest().authenticated())
                .httpBasic(basic -> basic.realmName(AdminAuthenticationEntryPoint.REALM).authenticationEntryPoint(entryPoint))
                .formLogin(form -> form.defaultSuccessUrl(ADMIN_HOME).permitAll())
                .logout(logout -> logout.permitAll())
                .exceptionHandling(errors -> errors
                        // A default mapping rather than authenticationEntryPoint(): the latter would switch off the
                        // generated login page. Registered first, so it wins over form login's and Basic's own.
                        .defaultAuthenticationEntryPointFor(entryPoint, AnyRequestMatcher.INSTANCE)
                        .accessDeniedHandler(entryPoint))
                // Only a page a browser was sent away from is worth remembering for after its login. Saving every
                // refused request would open a server-side session for each anonymous API call (a session per
                // request, 30 minutes each, for anyone who can reach the port).
                .requestCache(cache -> cache.requestCache(browserPagesOnly()))
                .csrf(csrf -> csrf.ignoringRequestMatchers(AdminSecurityConfiguration::withoutSession))
                .headers(headers -> headers.contentSecurityPolicy(csp -> csp.policyDirectives(CONTENT_SECURITY_POLICY)));
        return http.build();
    }

    /**
     * The one admin user. Returned as a plain {@link UserDetailsService}, not the {@link InMemoryUserDetailsManager}
     * behind it: a manager is also a password-upgrade service, and Spring Security would then re-encode the stored
     * digest with bcrypt after the first login, bringing back the cost that {@link AdminPasswords} avoids.
     */
    @Bean
    UserDetailsService adminUsers(AdminProperties properties, AdminPassword password) {
        InMemoryUserDetailsManager users = new InMemoryUserDetailsManager(User.withUsername(properties.username())
                .password(password.stored()).roles("ADMIN").build());
        return users::loadUserByUsername;
    }

    @Bean
    PasswordEncoder adminPasswordEncoder(AdminPassword password) {
        return new AdminPasswords(password.stored());
    }

    @Bean
    AdminLoginThrottle adminLoginThrottle(AdminProperties properties) {
        return new AdminLoginThrottle(properties.maxFailedLogins(), properties.failedLoginWindow(), Ticker.systemTicker());
    }

    /** Publishes every failed login as an event; declared here so that counting them does not rest on auto-configuration. */
    @Bean
    AuthenticationEventPublisher adminAuthenticationEvents(ApplicationEventPublisher events) {
        return new DefaultAuthenticationEventPublisher(events);
    }

    /** Counts a failed login (HTTP Basic or the form, wrong password or unknown user) against its client's address. */
    @Bean
    ApplicationListener<AuthenticationFailureBadCredentialsEvent> failedAdminLogins(AdminLoginThrottle throttle) {
        return event -> {
            if (event.getAuthentication().getDetails() instanceof WebAuthenticationDetails details
                    && details.getRemoteAddress() != null) {
                throttle.failed(details.getRemoteAddress());
            }
        };
    }

    /**
     * The admin password in the form it is checked against ({@link AdminPasswords#stored}): the digest of a plain one
     * (configured, or generated and logged once when none is), or the operator's encoded one.
     */
    record AdminPassword(String stored) {

        /** Never the value: a record would print it wherever the bean is shown or logged. */
        @Override
        public String toString() {
            return "AdminPassword[****]";
        }
    }

    @Bean
    AdminPassword adminPassword(AdminProperties properties) {
        String password = properties.password();
        if (password == null || password.isBlank()) {
            password = generatePassword();
            // Logged once, at start, and only because nobody configured one: it is the only way to learn it.
            log.warn("No admin password configured (coe.admin.password, env COE_ADMIN_PASSWORD). Generated for user '{}' "
                    + "for this run only: {}", properties.username(), password);
        }
        return new AdminPassword(AdminPasswords.stored(password));
    }

    /**
     * Whether a request comes without a session cookie, so that no CSRF token can be asked of it: it has no browser
     * session to ride on, and a page on another site cannot add an {@code Authorization} header to a form post. Such
     * a request is either HTTP Basic or anonymous (then refused with 401, where checking a token would have opened a
     * session to keep one in, only to answer 403). The login form keeps its token even so: it stops another site
     * from logging a browser in as someone else.
     */
    static boolean withoutSession(HttpServletRequest request) {
        if (request.getRequestedSessionId() != null) {
            return false;
        }
        String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
        boolean basic = authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6);
        return basic || !request.getRequestURI().equals(request.getContextPath() + LOGIN_PAGE);
    }

    /** Remembers a refused {@code GET} of a page for a browser (it accepts HTML), which is sent back there after login. */
    static RequestCache browserPagesOnly() {
        HttpSessionRequestCache cache = new HttpSessionRequestCache();
        cache.setRequestMatcher(request -> HttpMethod.GET.matches(request.getMethod())
                && AdminAuthenticationEntryPoint.wantsHtml(request));
        return cache;
    }

    private static String generatePassword() {
        byte[] bytes = new byte[GENERATED_PASSWORD_BYTES];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}

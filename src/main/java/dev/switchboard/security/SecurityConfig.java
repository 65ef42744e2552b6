package dev.switchboard.security;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.vaadin.flow.spring.security.RequestUtil;
import com.vaadin.flow.spring.security.VaadinSecurityConfigurer;
import dev.switchboard.config.CacheConfiguration;
import dev.switchboard.config.Database;
import dev.switchboard.config.SharedBuckets;
import dev.switchboard.security.ui.LoginViews;
import dev.switchboard.users.AccountUserDetailsService;
import dev.switchboard.users.Role;
import dev.switchboard.users.UserAccounts;
import jakarta.servlet.DispatcherType;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.security.servlet.EndpointRequest;
import org.springframework.boot.actuate.health.HealthEndpoint;
import org.springframework.boot.actuate.metrics.export.prometheus.PrometheusScrapeEndpoint;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.authentication.AuthenticationEventPublisher;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.authentication.AccountStatusUserDetailsChecker;
import org.springframework.security.config.annotation.authentication.builders.AuthenticationManagerBuilder;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.annotation.web.configurers.HeadersConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.authentication.RememberMeServices;
import org.springframework.security.web.session.DisableEncodeUrlFilter;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;
import org.springframework.security.web.context.RequestAttributeSecurityContextRepository;
import org.springframework.security.web.context.SecurityContextHolderFilter;
import org.springframework.security.web.csrf.HttpSessionCsrfTokenRepository;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter.ReferrerPolicy;
import org.springframework.transaction.PlatformTransactionManager;

import java.time.Clock;

/**
 * Four filter chains: /v1/** (the OpenAI-compatible API: API token or HTTP Basic), /api/** (API token, HTTP Basic or
 * login session; JSON errors), /actuator/** (health for anyone, prometheus for admins), and the Vaadin app with its
 * login view (password form, and single sign-on when a {@code spring.security.oauth2.client.registration} is set) for
 * everything else. Password logins (form and Basic) pass the login throttle, with the client address and device
 * cookie as their details; the two APIs take JSON bodies only. A login session ends once its account's rights change.
 */
@Configuration
@EnableWebSecurity
class SecurityConfig {

    /** Vaadin needs inline styles and scripts and eval (executeJs); everything else stays same-origin. */
    static final String VAADIN_CSP = String.join("; ",
            "default-src 'self'",
            "script-src 'self' 'unsafe-inline' 'unsafe-eval'",
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data: blob:",
            "font-src 'self' data:",
            "connect-src 'self'",
            "worker-src 'self' blob:",
            "manifest-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'");
    /** JSON answers load nothing. */
    static final String API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

    /**
     * Spring Security's own observations off, as the HTTP server's are: with them on, each of a request's security
     * filters ran wrapped in an observation, measured on every streamed chat request.
     */
    @Bean
    static SecurityObservationSettings securityObservations() {
        return SecurityObservationSettings.noObservations();
    }

    @Bean
    PasswordEncoder passwordEncoder() {
        return new BCryptPasswordEncoder();
    }

    /** The login throttle's counts: in memory on H2 (one instance), in the database on PostgreSQL (every instance's). */
    @Bean
    LoginThrottle.Counts loginCounts(LoginThrottleProperties properties, ObjectProvider<Clock> clock,
                                     SharedBuckets buckets, JdbcClient jdbc, PlatformTransactionManager tx) {
        Clock c = clock.getIfUnique(Clock::systemUTC);
        return buckets.enabled() ? new SharedLoginCounts(properties.forgetAfter(), c, buckets, jdbc, tx)
                : LoginThrottle.inMemory(properties, c);
    }

    /** Each new pause is published as an event (LoginThrottle.Paused) for the audit log. */
    @Bean
    LoginThrottle loginThrottle(LoginThrottleProperties properties, ObjectProvider<Clock> clock,
                                ApplicationEventPublisher events, LoginThrottle.Counts counts) {
        return new LoginThrottle(properties, clock.getIfUnique(Clock::systemUTC), events::publishEvent, counts);
    }

    @Bean
    DeviceCookies deviceCookies(LoginThrottleProperties properties, JdbcClient jdbc, ObjectProvider<Clock> clock) {
        return new DeviceCookies(DeviceCookies.key(properties.deviceCookieKey(), jdbc), properties.deviceCookieMaxAge(),
                clock.getIfUnique(Clock::systemUTC));
    }

    @Bean
    VerifiedPasswords verifiedPasswords(Database database) {
        return new VerifiedPasswords(database.shared() ? CacheConfiguration.SHARED_TTL : VerifiedPasswords.TTL);
    }

    /**
     * The one password check, shared by form login and HTTP Basic, behind the brute-force protection; a password
     * verified lately is not hashed again (VerifiedPasswords).
     */
    @Bean
    AuthenticationManager authenticationManager(UserAccounts accounts, PasswordEncoder encoder,
                                                LoginThrottle throttle, VerifiedPasswords verified,
                                                AuthenticationEventPublisher events) {
        var passwords = new DaoAuthenticationProvider(new AccountUserDetailsService(accounts));
        passwords.setPasswordEncoder(encoder);
        // Check "disabled" only after the password: otherwise anyone could find out which accounts are disabled.
        passwords.setPreAuthenticationChecks(user -> { });
        passwords.setPostAuthenticationChecks(new AccountStatusUserDetailsChecker());
        var manager = new ProviderManager(new ThrottledAuthenticationProvider(verified.around(passwords), throttle));
        // Failed logins as events (Spring Boot's publisher), for the audit log of form logins (admin.users.LoginAudit).
        manager.setAuthenticationEventPublisher(events);
        return manager;
    }

    @Bean
    @Order(1)
    SecurityFilterChain apiFilterChain(HttpSecurity http, AuthenticationManager authenticationManager,
                                       ApiTokens tokens, DeviceCookies devices, ObjectMapper json,
                                       AccountSessions sessions) throws Exception {
        var errors = new ApiErrorHandler(json);
        http.setSharedObject(RememberMeServices.class, devices); // a device cookie after a successful Basic login
        return http.securityMatcher("/api/**")
                .authenticationManager(authenticationManager)
                .securityContext(c -> c.securityContextRepository(new ApiSecurityContextRepository()))
                .addFilterAfter(new AccountSessionFilter(sessions), SecurityContextHolderFilter.class)
                .addFilterBefore(new ApiTokenAuthenticationFilter(tokens, errors), BasicAuthenticationFilter.class)
                .httpBasic(basic -> basic.authenticationEntryPoint(errors).authenticationDetailsSource(devices))
                .csrf(csrf -> csrf.csrfTokenRepository(new HttpSessionCsrfTokenRepository())
                        .requireCsrfProtectionMatcher(ApiRequests::needsCsrfToken))
                .requestCache(AbstractHttpConfigurer::disable)
                .logout(AbstractHttpConfigurer::disable)
                .exceptionHandling(e -> e.authenticationEntryPoint(errors).accessDeniedHandler(errors))
                .headers(h -> headers(h, API_CSP))
                .addFilterAfter(new JsonRequestBodies((response, status, message) ->
                        errors.write(response, status, "invalid_request_error", message)), AuthorizationFilter.class)
                .authorizeHttpRequests(auth -> auth
                        .requestMatchers("/api/admin/**").hasRole(Role.ADMIN.name())
                        .anyRequest().authenticated())
                .build();
    }

    /**
     * The OpenAI-compatible API: a personal token as the API key (or HTTP Basic), nothing else; no session, so no
     * CSRF. Errors in OpenAI's shape.
     */
    @Bean
    @Order(0)
    SecurityFilterChain openAiFilterChain(HttpSecurity http, AuthenticationManager authenticationManager,
                                          ApiTokens tokens, DeviceCookies devices, ObjectMapper json) throws Exception {
        var errors = new OpenAiErrorHandler(json);
        http.setSharedObject(RememberMeServices.class, devices);
        return http.securityMatcher("/v1/**")
                .addFilterBefore(new RequestIdFilter(), DisableEncodeUrlFilter.class)
                .authenticationManager(authenticationManager)
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .securityContext(c -> c.securityContextRepository(new RequestAttributeSecurityContextRepository()))
                .addFilterBefore(new ApiTokenAuthenticationFilter(tokens, errors), BasicAuthenticationFilter.class)
                .httpBasic(basic -> basic.authenticationEntryPoint(errors).authenticationDetailsSource(devices))
                .csrf(AbstractHttpConfigurer::disable) // credentials in every request, none a browser adds by itself
                .requestCache(AbstractHttpConfigurer::disable)
                .logout(AbstractHttpConfigurer::disable)
                .exceptionHandling(e -> e.authenticationEntryPoint(errors).accessDeniedHandler(errors))
                .headers(h -> headers(h, API_CSP))
                .addFilterAfter(new JsonRequestBodies((response, status, message) -> errors.write(response, status,
                        "invalid_request_error", null, message)), AuthorizationFilter.class)
                .authorizeHttpRequests(auth -> auth.anyRequest().authenticated())
                .build();
    }

    /**
     * Health for load balancers; metrics for admins (a personal token or HTTP Basic, as a Prometheus scrape job sends
     * them), JSON 401/403 otherwise; nothing else of the actuator over HTTP, whoever asks. With
     * {@code management.server.port} set, Spring Boot serves these on that port behind this same chain, and the main
     * port's /actuator/** is refused.
     */
    @Bean
    @Order(2)
    SecurityFilterChain actuatorFilterChain(HttpSecurity http, AuthenticationManager authenticationManager,
                                            ApiTokens tokens, ObjectMapper json) throws Exception {
        var errors = new ApiErrorHandler(json);
        return http.securityMatcher("/actuator/**")
                .authenticationManager(authenticationManager)
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .securityContext(c -> c.securityContextRepository(new RequestAttributeSecurityContextRepository()))
                .addFilterBefore(new ApiTokenAuthenticationFilter(tokens, errors), BasicAuthenticationFilter.class)
                .httpBasic(basic -> basic.authenticationEntryPoint(errors))
                .csrf(AbstractHttpConfigurer::disable) // nothing here accepts a state-changing request
                .requestCache(AbstractHttpConfigurer::disable)
                .logout(AbstractHttpConfigurer::disable)
                .exceptionHandling(e -> e.authenticationEntryPoint(errors).accessDeniedHandler(errors))
                .headers(h -> headers(h, API_CSP))
                // EndpointRequest knows the management port: with one of its own, these match only there.
                .authorizeHttpRequests(auth -> auth
                        .requestMatchers(EndpointRequest.to(HealthEndpoint.class)).permitAll()
                        .requestMatchers(EndpointRequest.to(PrometheusScrapeEndpoint.class)).hasRole(Role.ADMIN.name())
                        .anyRequest().denyAll())
                .build();
    }

    /**
     * The Vaadin app: views decide with @PermitAll / @RolesAllowed / @AnonymousAllowed; others go to /login. With a
     * single sign-on registration configured, Spring's OAuth2 login is added: /oauth2/authorization/{id} starts it,
     * /login/oauth2/code/{id} ends it (the ID token checked by Spring; the account by the OIDC user service bean).
     * Without one, nothing of it is set up.
     */
    @Bean
    @Order(3)
    SecurityFilterChain vaadinFilterChain(HttpSecurity http, AuthenticationManager authenticationManager,
                                          DeviceCookies devices, RequestUtil vaadinRequests,
                                          AccountSessions sessions,
                                          ObjectProvider<ClientRegistrationRepository> registrations,
                                          ApplicationEventPublisher events) throws Exception {
        http.setSharedObject(RememberMeServices.class, devices); // a device cookie after a successful form login
        http.addFilterAfter(new AccountSessionFilter(sessions), SecurityContextHolderFilter.class)
                // Error pages render the outcome of a request that has already been checked.
                .authorizeHttpRequests(auth -> auth.dispatcherTypeMatchers(DispatcherType.ERROR).permitAll())
                .headers(h -> headers(h, VAADIN_CSP))
                // Vaadin's CSRF setup exempts the login POST as well as its own requests, so a page elsewhere could
                // log a visitor's browser into the attacker's account. Only Vaadin's own requests (they carry
                // Vaadin's token) are exempt here: the login form sends Spring's token, which Vaadin renders into
                // the page's _csrf meta tags and vaadin-login-form posts with the form.
                .with(VaadinSecurityConfigurer.vaadin(), vaadin -> vaadin.loginView(LoginViews.loginView())
                        .enableCsrfConfiguration(false))
                .csrf(csrf -> csrf.ignoringRequestMatchers(vaadinRequests::isFrameworkInternalRequest))
                // After .with(vaadin()): configurers initialise in the order added, and a form login initialised
                // before Vaadin set its login page turns on Spring's generated "Please sign in" page at GET /login.
                .formLogin(form -> form.failureHandler(new LoginFailureHandler("/" + LoginViews.ROUTE))
                        .authenticationDetailsSource(devices));
        if (registrations.getIfAvailable() == null) {
            return http.authenticationManager(authenticationManager).build();
        }
        // The chain's own manager then holds the OIDC providers oauth2Login adds; passwords go to the shared one.
        http.getSharedObject(AuthenticationManagerBuilder.class).parentAuthenticationManager(authenticationManager);
        return http.oauth2Login(sso -> sso.loginPage("/" + LoginViews.ROUTE)
                        .failureHandler(new SsoFailureHandler(events)))
                .build();
    }

    private static void headers(HeadersConfigurer<HttpSecurity> headers, String csp) {
        headers.contentTypeOptions(c -> { })
                .frameOptions(HeadersConfigurer.FrameOptionsConfig::deny)
                .referrerPolicy(r -> r.policy(ReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN))
                .contentSecurityPolicy(c -> c.policyDirectives(csp));
    }
}

package com.relaycrm.platform.security;

import com.relaycrm.platform.ApiProblem;
import com.relaycrm.platform.RequestBudget;
import com.relaycrm.platform.Role;
import com.relaycrm.platform.RouteAccess;
import com.relaycrm.platform.ratelimit.RateLimitFilter;
import com.relaycrm.platform.web.ProblemMapper;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;

@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

    @Bean
    @Order(100)
    SecurityFilterChain apiSecurity(
            HttpSecurity http,
            ApiTokens tokens,
            ProblemMapper problems,
            List<RouteAccess> moduleRoutes,
            RateLimitFilter rateLimits,
            RequestBudget budget,
            MeterRegistry meters)
            throws Exception {
        BearerTokenFilter bearerTokens = new BearerTokenFilter(tokens, problems, budget, meters);
        http.csrf(csrf -> csrf.disable())
                .httpBasic(basic -> basic.disable())
                .formLogin(form -> form.disable())
                .logout(logout -> logout.disable())
                .requestCache(cache -> cache.disable())
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .addFilterBefore(bearerTokens, AnonymousAuthenticationFilter.class)
                .addFilterAfter(rateLimits, BearerTokenFilter.class)
                .exceptionHandling(errors -> errors.authenticationEntryPoint((request, response, e) -> problems.write(
                                ApiProblem.unauthorized("A valid API token is required (Authorization: Bearer <token>)")
                                        .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer"),
                                request,
                                response))
                        .accessDeniedHandler((request, response, e) -> problems.write(
                                ApiProblem.forbidden("Your token's roles do not allow this"), request, response)))
                .authorizeHttpRequests(routes -> {
                    routes.requestMatchers("/error")
                            .permitAll()
                            .requestMatchers(
                                    HttpMethod.GET,
                                    "/health",
                                    "/docs",
                                    "/docs/**",
                                    "/swagger-ui/**",
                                    "/swagger-ui.html",
                                    "/openapi.json",
                                    "/openapi.json/**")
                            .permitAll()
                            .requestMatchers(HttpMethod.GET, "/api/v1/tokens/me/usage")
                            .authenticated()
                            .requestMatchers("/actuator/**", "/api/v1/tokens", "/api/v1/tokens/*")
                            .hasRole(Role.ADMIN.name());
                    moduleRoutes.forEach(module -> module.configure(routes));
                    routes.anyRequest().authenticated();
                });
        return http.build();
    }

    /**
     * No Micrometer observation around every security filter, authentication and authorization: Relay exports no
     * traces, and the wrapping cost ~15% of a request's CPU in the lead-list benchmark (JFR). Request timings stay in
     * {@code http.server.requests}.
     */
    @Bean
    SecurityObservationSettings noSecurityObservations() {
        return SecurityObservationSettings.noObservations();
    }

    /** Replaces Boot's generated in-memory user: Relay has no password logins. */
    @Bean
    UserDetailsService noPasswordUsers() {
        return new InMemoryUserDetailsManager();
    }
}

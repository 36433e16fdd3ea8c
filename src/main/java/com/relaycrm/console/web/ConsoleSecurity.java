package com.relaycrm.console.web;

import com.relaycrm.platform.Actor;
import com.relaycrm.platform.RequestBudget;
import com.relaycrm.platform.TokenCheck;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.context.RequestAttributeSecurityContextRepository;
import org.springframework.security.web.csrf.CsrfException;
import org.springframework.security.web.csrf.CsrfFilter;

/**
 * The console's own filter chain, ahead of the API's stateless bearer chain: a server-side session (Spring Session
 * JDBC) and CSRF-protected forms. Only the console's paths reach it; everything else stays with the API chain.
 */
@Configuration(proxyBeanMethods = false)
class ConsoleSecurity {

    static final String SIGN_IN = "/console/signin";
    static final String SIGN_OUT = "/console/signout";

    @Bean
    @Order(50)
    SecurityFilterChain consoleFilterChain(
            HttpSecurity http, TokenCheck tokens, RequestBudget budget, List<ConsoleRoutes> pageRoutes)
            throws Exception {
        SessionActorFilter sessionActors = new SessionActorFilter(tokens);
        http.securityMatcher("/", "/console", "/console/**", "/webjars/**", "/favicon.ico")
                .httpBasic(basic -> basic.disable())
                .formLogin(form -> form.disable())
                .requestCache(cache -> cache.disable())
                .anonymous(anonymous -> {})
                .csrf(csrf -> csrf.csrfTokenRepository(new SessionOrCookieCsrfTokens()))
                // The session actor is resolved before the CSRF check, so a refused form can tell "not signed in"
                // from "forged". The session holds plain attributes (ConsoleSession), not a serialized SecurityContext:
                // the filter
                // below rebuilds the actor per request after checking the token is still live.
                .securityContext(
                        context -> context.securityContextRepository(new RequestAttributeSecurityContextRepository()))
                .addFilterBefore(sessionActors, CsrfFilter.class)
                .addFilterAfter(new ConsoleRateLimitFilter(budget), SessionActorFilter.class)
                .addFilterBefore(new UploadGateFilter(), CsrfFilter.class)
                .logout(logout -> logout.logoutUrl(SIGN_OUT)
                        .logoutSuccessUrl(SIGN_IN + "?signed_out")
                        .invalidateHttpSession(true)
                        .deleteCookies("relay_console"))
                .headers(headers -> headers.contentSecurityPolicy(csp -> csp.policyDirectives(
                        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:;"
                                + " connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'")))
                .exceptionHandling(errors -> errors.authenticationEntryPoint(ConsoleSecurity::signInFirst)
                        .accessDeniedHandler(
                                (request, response, e) -> denied(request, response, e instanceof CsrfException)))
                .authorizeHttpRequests(routes -> {
                    // An async dispatch only finishes a response authorized when it began (an event stream that just
                    // ended because its session did): refusing it would fail on the already committed response.
                    routes.dispatcherTypeMatchers(DispatcherType.ASYNC)
                            .permitAll()
                            .requestMatchers(HttpMethod.GET, "/webjars/**", "/console/assets/**", "/favicon.ico")
                            .permitAll()
                            .requestMatchers(SIGN_IN)
                            .permitAll();
                    pageRoutes.forEach(page -> page.configure(routes));
                    routes.anyRequest().authenticated();
                });
        return http.build();
    }

    /**
     * Pages redirect to the sign-in form; htmx requests are told to do the same. Anything that is not a browser
     * asking for HTML (API clients, the event stream, scripts) gets a 401 problem like the API's.
     */
    static void signInFirst(HttpServletRequest request, HttpServletResponse response, @Nullable Exception e)
            throws IOException {
        String target = SIGN_IN + ("revoked".equals(request.getAttribute(ConsoleSession.ENDED)) ? "?revoked" : "");
        if (ConsoleProblems.htmx(request)) {
            response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
            response.setHeader("HX-Redirect", target);
        } else if (ConsoleProblems.wantsHtml(request)) {
            response.sendRedirect(request.getContextPath() + target);
        } else {
            ConsoleProblems.write(
                    response, 401, "unauthorized", "Unauthorized", "Sign in to the console first (" + SIGN_IN + ")");
        }
    }

    /**
     * Someone who is not signed in (no session, an expired one, a revoked token) is sent to sign in, even when the
     * CSRF check is what stopped the request; a signed-in user sees why it was refused.
     */
    static void denied(HttpServletRequest request, HttpServletResponse response, boolean csrf) throws IOException {
        var authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication == null || !(authentication.getPrincipal() instanceof Actor)) {
            signInFirst(request, response, null);
            return;
        }
        String detail = csrf
                ? "This form has expired or did not come from the console. Reload the page and try again."
                : "Your roles do not allow this action.";
        ConsoleProblems.respond(
                request,
                response,
                403,
                "forbidden",
                ConsoleProblems.wantsHtml(request) ? "Not allowed" : "Forbidden",
                detail);
    }
}

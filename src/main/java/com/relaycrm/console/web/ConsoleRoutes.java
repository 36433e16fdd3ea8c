package com.relaycrm.console.web;

import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AuthorizeHttpRequestsConfigurer;

/**
 * Role rules for console paths, declared as beans by each console page group. They mirror the API's rules for the
 * same actions (the API's {@code RouteAccess} beans guard API paths only). Paths without a rule need a signed-in
 * session.
 */
@FunctionalInterface
public interface ConsoleRoutes {

    void configure(AuthorizeHttpRequestsConfigurer<HttpSecurity>.AuthorizationManagerRequestMatcherRegistry routes);
}

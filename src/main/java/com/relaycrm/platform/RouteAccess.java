package com.relaycrm.platform;

import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AuthorizeHttpRequestsConfigurer;

/**
 * A module's role rules for its own routes, declared as a bean. The platform applies every module's rules before
 * its catch-all "authenticated" rule, so a route without a rule still needs a valid token.
 */
@FunctionalInterface
public interface RouteAccess {

    void configure(AuthorizeHttpRequestsConfigurer<HttpSecurity>.AuthorizationManagerRequestMatcherRegistry routes);
}

package com.relaycrm.profiles.web;

import com.relaycrm.platform.RouteAccess;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;

@Configuration(proxyBeanMethods = false)
class ProfilesSecurity {

    /**
     * Any authenticated caller may read built profiles. Building one spends the shared, small upstream budget
     * (60 GitHub requests an hour without a token), so only the people who prospect developers (SALES) and ADMIN
     * may ask for it.
     */
    @Bean
    RouteAccess profileRoutes() {
        return routes -> routes.requestMatchers(HttpMethod.GET, "/api/v1/profiles", "/api/v1/profiles/**")
                .authenticated()
                .requestMatchers(HttpMethod.POST, "/api/v1/aggregate")
                .hasAnyRole("ADMIN", "SALES");
    }
}

package com.relaycrm.sales.shared;

import com.relaycrm.platform.RouteAccess;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;

@Configuration(proxyBeanMethods = false)
class SalesAccess {

    private static final String[] PATHS = {
        "/leads", "/leads/**", "/customers", "/customers/**", "/employees", "/employees/**"
    };

    /** Everyone in sales, support or read-only roles may read; only sales and admins change anything. */
    @Bean
    RouteAccess salesRoutes() {
        return routes -> routes.requestMatchers(HttpMethod.GET, PATHS)
                .hasAnyRole("SALES", "ADMIN", "VIEWER", "AGENT")
                .requestMatchers(HttpMethod.HEAD, PATHS)
                .hasAnyRole("SALES", "ADMIN", "VIEWER", "AGENT")
                .requestMatchers(PATHS)
                .hasAnyRole("SALES", "ADMIN");
    }
}

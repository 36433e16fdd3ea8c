package com.relaycrm.fieldservice.imports;

import com.relaycrm.platform.RouteAccess;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;

/** Everyone with a token reads; ADMIN and AGENT record visits and import; only ADMIN edits the holiday calendar. */
@Configuration(proxyBeanMethods = false)
class FieldServiceAccess {

    @Bean
    RouteAccess fieldServiceRoutes() {
        return routes -> routes.requestMatchers(
                        HttpMethod.GET,
                        "/api/v1/atendimento",
                        "/api/v1/atendimento/**",
                        "/api/v1/indicators/**",
                        "/api/v1/holidays",
                        "/api/v1/holidays/**")
                .authenticated()
                .requestMatchers("/api/v1/atendimento", "/api/v1/atendimento/**")
                .hasAnyRole("ADMIN", "AGENT")
                .requestMatchers("/api/v1/holidays", "/api/v1/holidays/**")
                .hasRole("ADMIN");
    }
}

package com.relaycrm.console.pipeline;

import com.relaycrm.console.web.ConsoleRoutes;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;

@Configuration(proxyBeanMethods = false)
class PipelineAccess {

    private static final String[] PATHS = {
        "/console/pipeline", "/console/leads/**", "/console/customers", "/console/customers/**", "/console/employees"
    };

    /** The API's sales rules: everyone in sales, support or read-only roles reads; sales and admins change. */
    @Bean
    ConsoleRoutes pipelineRoutes() {
        return routes -> routes.requestMatchers(HttpMethod.GET, PATHS)
                .hasAnyRole("SALES", "ADMIN", "VIEWER", "AGENT")
                .requestMatchers(PATHS)
                .hasAnyRole("SALES", "ADMIN");
    }
}

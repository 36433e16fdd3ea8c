package com.relaycrm.webhooks.subscriptions;

import com.relaycrm.platform.RouteAccess;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class WebhooksAccess {

    /** Subscriptions hold signing secrets and send data out of Relay: admins only, reads included. */
    @Bean
    RouteAccess webhooksRoutes() {
        return routes -> routes.requestMatchers("/api/v1/webhooks", "/api/v1/webhooks/**")
                .hasRole("ADMIN");
    }
}

package com.relaycrm.console.inbox;

import com.relaycrm.console.web.ConsoleRoutes;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;

@Configuration(proxyBeanMethods = false)
class InboxAccess {

    /** The messaging API's rules: VIEWER reads (and marks read), writing needs a role that may post. */
    @Bean
    ConsoleRoutes inboxRoutes() {
        return routes -> routes.requestMatchers(HttpMethod.GET, "/console/inbox", "/console/inbox/**")
                .hasAnyRole("ADMIN", "MESSAGING_SERVICE", "SALES", "AGENT", "VIEWER")
                .requestMatchers(HttpMethod.POST, "/console/inbox/*/read")
                .hasAnyRole("ADMIN", "MESSAGING_SERVICE", "SALES", "AGENT", "VIEWER")
                .requestMatchers("/console/inbox/**")
                .hasAnyRole("ADMIN", "MESSAGING_SERVICE", "SALES", "AGENT");
    }
}

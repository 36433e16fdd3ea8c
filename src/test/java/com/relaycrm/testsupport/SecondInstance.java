package com.relaycrm.testsupport;

import com.relaycrm.RelayApplication;
import java.util.HashMap;
import java.util.Map;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;

/** Another Relay instance in the same JVM, on its own port, sharing the first instance's database. */
public final class SecondInstance implements AutoCloseable {

    private final ConfigurableApplicationContext context;

    private SecondInstance(ConfigurableApplicationContext context) {
        this.context = context;
    }

    public static SecondInstance sharing(Environment first, Map<String, Object> extra) {
        Map<String, Object> properties = new HashMap<>();
        for (String name : new String[] {
            "spring.datasource.url",
            "spring.datasource.username",
            "spring.datasource.password",
            "relay.data-dir",
            "relay.admin-token"
        }) {
            properties.put(name, first.getProperty(name));
        }
        properties.put("server.port", "0");
        properties.putAll(extra);
        // Command-line arguments outrank application.yml; default properties would not.
        String[] args = properties.entrySet().stream()
                .map(e -> "--" + e.getKey() + "=" + e.getValue())
                .toArray(String[]::new);
        ConfigurableApplicationContext context = new SpringApplicationBuilder(RelayApplication.class).run(args);
        return new SecondInstance(context);
    }

    public int port() {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    public ApiClient client(String token) {
        return new ApiClient(port(), token);
    }

    public ConfigurableApplicationContext context() {
        return context;
    }

    @Override
    public void close() {
        context.close();
    }
}

package com.relaycrm.gistwatch;

import com.relaycrm.RelayApplication;
import com.relaycrm.testsupport.ApiClient;
import com.relaycrm.testsupport.FreshDatabaseCustomizerFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;

/** Another Relay instance on the test's database: a second node of a cluster, or the same node restarted. */
final class Instances {

    private static final List<String> SHARED = List.of(
            "spring.datasource.url",
            "spring.datasource.username",
            "spring.datasource.password",
            "relay.admin-token",
            "github.api-url",
            "pipedrive.api-url",
            "pipetest.queried-users",
            "pipetest.piepedrive-api-key",
            "pipetest.piepedrive-company-name",
            "relay.gistwatch.first-scan-delay",
            "relay.gistwatch.deal-sync-interval",
            "relay.gistwatch.retry-backoff",
            "pipedrive.read-timeout");

    private Instances() {}

    record Instance(ConfigurableApplicationContext context, ApiClient api) implements AutoCloseable {
        @Override
        public void close() {
            context.close();
        }
    }

    static Instance start(Environment test, Map<String, String> overrides) {
        Map<String, String> properties = new LinkedHashMap<>();
        for (String key : SHARED) {
            String value = test.getProperty(key);
            if (value != null) {
                properties.put(key, value);
            }
        }
        properties.put("server.port", "0");
        try {
            properties.put(
                    "relay.data-dir",
                    Files.createTempDirectory("relay-test-instance").toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        properties.putAll(overrides);
        List<String> args = new ArrayList<>();
        properties.forEach((key, value) -> args.add("--" + key + "=" + value));
        ConfigurableApplicationContext context =
                new SpringApplicationBuilder(RelayApplication.class).run(args.toArray(String[]::new));
        int port = Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
        return new Instance(context, new ApiClient(port, FreshDatabaseCustomizerFactory.ADMIN_TOKEN));
    }
}

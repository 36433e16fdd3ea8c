package com.relaycrm.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;

/** Gives every {@link RelayTest} class its own application context on its own cloned database. */
public class FreshDatabaseCustomizerFactory implements ContextCustomizerFactory {

    public static final String ADMIN_TOKEN = "rly_test-admin-token-0123456789abcdef";

    @Override
    public ContextCustomizer createContextCustomizer(
            Class<?> testClass, List<ContextConfigurationAttributes> attributes) {
        if (!AnnotatedElementUtils.hasAnnotation(testClass, RelayTest.class)) {
            return null;
        }
        return new FreshDatabase(testClass);
    }

    private record FreshDatabase(Class<?> testClass) implements ContextCustomizer {

        @Override
        public void customizeContext(
                org.springframework.context.ConfigurableApplicationContext context,
                org.springframework.test.context.MergedContextConfiguration merged) {
            TestDatabase database = TestDatabase.get();
            String name = database.freshDatabase();
            String dataDir;
            try {
                dataDir = Files.createTempDirectory("relay-test-data").toString();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            context.getEnvironment()
                    .getPropertySources()
                    .addFirst(new MapPropertySource(
                            "relayTestDatabase",
                            Map.of(
                                    "spring.datasource.url",
                                    database.jdbcUrl(name),
                                    "spring.datasource.username",
                                    database.user(),
                                    "spring.datasource.password",
                                    database.password(),
                                    "relay.data-dir",
                                    dataDir,
                                    "relay.admin-token",
                                    ADMIN_TOKEN,
                                    "relay.test.database-name",
                                    name)));
            // Tests never reach the internet: upstreams point at a closed local port unless a test fakes them.
            context.getEnvironment()
                    .getPropertySources()
                    .addLast(new MapPropertySource(
                            "relayTestUpstreams",
                            Map.of(
                                    "github.api-url", "http://127.0.0.1:9",
                                    "bitbucket.api-url", "http://127.0.0.1:9",
                                    "pipedrive.api-url", "http://127.0.0.1:9",
                                    "pipetest.queried-users", "")));
        }
    }
}

package com.relaycrm.fieldservice.imports;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.ClassPathResource;
import org.springframework.util.unit.DataSize;

/** RELAY_MAX_UPLOAD_SIZE, as README documents it, bounds both import routes: multipart and raw body. */
class UploadLimitConfigurationTest {

    private static Binder binderWith(Map<String, Object> variables) throws IOException {
        var environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("variables", variables));
        new YamlPropertySourceLoader()
                .load("application", new ClassPathResource("application.yml"))
                .forEach(source -> environment.getPropertySources().addLast(source));
        return Binder.get(environment);
    }

    private static DataSize size(Binder binder, String key) {
        return binder.bind(key, DataSize.class).get();
    }

    @Test
    void oneVariableRaisesBothRoutes() throws IOException {
        Binder binder = binderWith(Map.of("RELAY_MAX_UPLOAD_SIZE", "900MB"));
        assertThat(size(binder, "relay.fieldservice.import.max-upload-size")).isEqualTo(DataSize.ofMegabytes(900));
        assertThat(size(binder, "spring.servlet.multipart.max-file-size")).isEqualTo(DataSize.ofMegabytes(900));
        assertThat(size(binder, "spring.servlet.multipart.max-request-size")).isEqualTo(DataSize.ofMegabytes(900));
    }

    @Test
    void bothDefaultTo512MbAndTheRawRouteCanStillBeSetAlone() throws IOException {
        Binder defaults = binderWith(Map.of());
        assertThat(size(defaults, "relay.fieldservice.import.max-upload-size")).isEqualTo(DataSize.ofMegabytes(512));
        assertThat(size(defaults, "spring.servlet.multipart.max-file-size")).isEqualTo(DataSize.ofMegabytes(512));

        Binder own = binderWith(Map.of("relay.fieldservice.import.max-upload-size", "2GB"));
        assertThat(size(own, "relay.fieldservice.import.max-upload-size")).isEqualTo(DataSize.ofGigabytes(2));
    }
}

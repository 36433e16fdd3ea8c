package com.relaycrm.gistwatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.relaycrm.gistwatch.watching.PipetestProperties;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/** The seed's environment variable names, typo included, and their validation. */
class GistwatchConfigurationTest {

    private static PipetestProperties bind(Map<String, Object> env) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().remove(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME);
        environment
                .getPropertySources()
                .addFirst(new SystemEnvironmentPropertySource(
                        StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, env));
        ConfigurationPropertySources.attach(environment);
        return Binder.get(environment).bindOrCreate("pipetest", PipetestProperties.class);
    }

    @Test
    void seedVariableNamesBindWithTheTypo() {
        PipetestProperties properties = bind(Map.of(
                "PIPETEST_QUERIED_USERS", " Kiedis, flea ,,KIEDIS,-bad-,Smith-,a--b,Frusciante",
                "PIPETEST_QUERYING_INTERVAL", " 5 ",
                "PIPETEST_PIEPEDRIVE_COMPANY_NAME", "antonsawesomecompany",
                "PIPETEST_PIEPEDRIVE_API_KEY", "secret-1"));
        assertThat(properties.logins().valid()).containsExactly("Kiedis", "flea", "Frusciante");
        assertThat(properties.logins().invalid()).containsExactly("-bad-", "Smith-", "a--b");
        assertThat(properties.intervalMinutes()).isEqualTo(5);
        assertThat(properties.companyName()).isEqualTo("antonsawesomecompany");
        assertThat(properties.apiKey()).isEqualTo("secret-1");
        assertThat(properties.toString()).doesNotContain("secret-1");
    }

    @Test
    void correctlySpelledPipedriveVariablesAreAcceptedAndDefaultsApply() {
        PipetestProperties properties =
                bind(Map.of("PIPETEST_PIPEDRIVE_COMPANY_NAME", "acme", "PIPETEST_PIPEDRIVE_API_KEY", "secret-2"));
        assertThat(properties.companyName()).isEqualTo("acme");
        assertThat(properties.apiKey()).isEqualTo("secret-2");
        assertThat(properties.intervalMinutes()).isEqualTo(30);
        assertThat(properties.logins().valid()).containsExactly("antomer");
        assertThat(bind(Map.of()).apiKey()).isNull();
        assertThat(bind(Map.of("PIPETEST_QUERIED_USERS", " , ")).logins().valid())
                .isEmpty();
    }

    @Test
    void badIntervalsNameTheVariable() {
        for (String bad : new String[] {"0", "-5", "abc", "1.5", "99999999999999999999", "20000"}) {
            assertThatThrownBy(() -> bind(Map.of("PIPETEST_QUERYING_INTERVAL", bad)))
                    .as(bad)
                    .rootCause()
                    .hasMessageContaining("PIPETEST_QUERYING_INTERVAL");
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(PipetestProperties.class)
    static class OnlyProperties {}

    @Test
    void aBadIntervalFailsStartUp() {
        new ApplicationContextRunner()
                .withInitializer(context -> context.getEnvironment()
                        .getPropertySources()
                        .addFirst(new SystemEnvironmentPropertySource(
                                "env", Map.of("PIPETEST_QUERYING_INTERVAL", "often"))))
                .withUserConfiguration(OnlyProperties.class)
                .run(context -> {
                    assertThat(context).hasFailed();
                    Throwable root = context.getStartupFailure();
                    while (root.getCause() != null) {
                        root = root.getCause();
                    }
                    assertThat(root)
                            .hasMessageContaining("PIPETEST_QUERYING_INTERVAL")
                            .hasMessageContaining("often");
                });
    }
}

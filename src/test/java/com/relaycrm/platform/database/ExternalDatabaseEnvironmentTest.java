package com.relaycrm.platform.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

class ExternalDatabaseEnvironmentTest {

    @Test
    void databaseUrlBecomesDatasourceProperties() {
        var properties = ExternalDatabaseEnvironment.datasourceProperties(
                "postgresql://relay:p%40ss@db.internal:6543/crm?sslmode=require");
        assertThat(properties)
                .containsEntry("spring.datasource.url", "jdbc:postgresql://db.internal:6543/crm?sslmode=require")
                .containsEntry("spring.datasource.username", "relay")
                .containsEntry("spring.datasource.password", "p@ss");
        assertThat(ExternalDatabaseEnvironment.datasourceProperties("postgres://db/"))
                .containsEntry("spring.datasource.url", "jdbc:postgresql://db/")
                .doesNotContainKey("spring.datasource.username");
    }

    @Test
    void badDatabaseUrlsFailNamingTheVariable() {
        assertThatThrownBy(() -> ExternalDatabaseEnvironment.datasourceProperties("mysql://db/x"))
                .hasMessageContaining("DATABASE_URL");
        assertThatThrownBy(() -> ExternalDatabaseEnvironment.datasourceProperties("postgresql:///x"))
                .hasMessageContaining("DATABASE_URL");
        assertThatThrownBy(() -> ExternalDatabaseEnvironment.datasourceProperties("postgresql://a b/x"))
                .hasMessageContaining("DATABASE_URL");
    }

    @Test
    void springDatasourceUrlWinsAndLogFormatJsonSelectsStructuredLogs() {
        var environment = new StandardEnvironment();
        environment
                .getPropertySources()
                .addFirst(new MapPropertySource(
                        "test",
                        Map.of(
                                "DATABASE_URL", "postgresql://u@h/d",
                                "spring.datasource.url", "jdbc:postgresql://explicit/db",
                                "LOG_FORMAT", "json")));
        new ExternalDatabaseEnvironment().postProcessEnvironment(environment, new SpringApplication());
        assertThat(environment.getProperty("spring.datasource.url")).isEqualTo("jdbc:postgresql://explicit/db");
        assertThat(environment.getProperty("logging.structured.format.console")).isEqualTo("ecs");
    }

    @Test
    void withoutVariablesNothingChanges() {
        var environment = new StandardEnvironment();
        int sources = environment.getPropertySources().size();
        new ExternalDatabaseEnvironment().postProcessEnvironment(environment, new SpringApplication());
        assertThat(environment.getPropertySources().size()).isEqualTo(sources);
    }
}

package com.relaycrm.sales;

import static org.assertj.core.api.Assertions.assertThat;

import com.relaycrm.RelayApplication;
import com.relaycrm.testsupport.ApiClient;
import com.relaycrm.testsupport.FreshDatabaseCustomizerFactory;
import java.nio.file.Files;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;

/** Two Relay instances on one database: the row lock, not the JVM, keeps one customer per lead. */
class ConversionAcrossInstancesHttpTest extends SalesHttpTestSupport {

    @Autowired
    Environment environment;

    @Test
    void parallelWinsThroughTwoInstancesMakeOneCustomer() throws Exception {
        try (ConfigurableApplicationContext second = new SpringApplicationBuilder(RelayApplication.class)
                // command-line arguments, so they win over application.yml (server.port: 8080)
                .run(
                        "--server.port=0",
                        "--spring.datasource.url=" + environment.getProperty("spring.datasource.url"),
                        "--spring.datasource.username=" + environment.getProperty("spring.datasource.username"),
                        "--spring.datasource.password=" + environment.getProperty("spring.datasource.password", ""),
                        "--relay.admin-token=" + FreshDatabaseCustomizerFactory.ADMIN_TOKEN,
                        "--relay.data-dir=" + Files.createTempDirectory("relay-second"))) {
            int port = ((WebServerApplicationContext) second).getWebServer().getPort();
            assertThat(port).isNotEqualTo(this.port);
            ApiClient other = new ApiClient(port, FreshDatabaseCustomizerFactory.ADMIN_TOKEN);

            long rep = employee();
            for (int round = 0; round < 3; round++) {
                long id = lead(rep, "Two instances " + round, "both" + round + "@instances.test")
                        .get("id")
                        .asLong();
                List<ApiClient.Response> responses = LeadConversionHttpTest.race(
                        20, i -> (i % 2 == 0 ? api : other).patch("/leads/" + id, "{\"status\":\"Won\"}"));
                assertThat(responses)
                        .allSatisfy(r -> assertThat(r.status()).as(r.body()).isEqualTo(200));
                Set<Long> customers = responses.stream()
                        .map(r -> r.json().get("customer_id").asLong())
                        .collect(Collectors.toSet());
                assertThat(customers).hasSize(1);
                assertThat(customerCount("both" + round + "@instances.test")).isEqualTo(1);
                assertThat(other.get("/leads/" + id).json().get("customer_id").asLong())
                        .isEqualTo(customers.iterator().next());
            }
        }
    }
}

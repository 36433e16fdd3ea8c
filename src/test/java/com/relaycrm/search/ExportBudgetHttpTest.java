package com.relaycrm.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.relaycrm.platform.Role;
import com.relaycrm.testsupport.ApiClient;
import com.relaycrm.testsupport.HttpTestSupport;
import java.io.UncheckedIOException;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;

/** An export costs one request of the caller's budget per started 10,000 rows. */
@TestPropertySource(
        properties = {"relay.rate-limit.groups.default.capacity=6", "relay.rate-limit.groups.default.period=PT1H"})
class ExportBudgetHttpTest extends HttpTestSupport {

    @Autowired
    JdbcClient jdbc;

    @Test
    void everyStartedTenThousandRowsCostsOneRequestAndARefusalCutsTheTransfer() {
        long angel = jdbc.sql("INSERT INTO fieldservice_angel (name) VALUES ('Bulk Angel') RETURNING id")
                .query(Long.class)
                .single();
        long polo = jdbc.sql("INSERT INTO fieldservice_polo (name, uf) VALUES ('SP - BULK', 'SP') RETURNING id")
                .query(Long.class)
                .single();
        jdbc.sql("""
                        INSERT INTO fieldservice_visit (id_atendimento, id_cliente, angel_id, polo_id, data_limite, status,
                                                        created_at, updated_at)
                        SELECT n, 1 + n % 5000, :angel, :polo, DATE '2021-01-01' + (n % 365), 'PENDING', now(), now()
                        FROM generate_series(1, 20001) n""").param("angel", angel).param("polo", polo).update();
        ApiClient agent = clientFor("agent", Role.AGENT);

        ApiClient.Response export = agent.get("/api/v1/atendimento?format=csv&order_by=id");
        assertThat(export.status()).isEqualTo(200);
        // the header and 20,001 rows: three started blocks of 10,000, the request itself among them
        assertThat(export.body().split("\r\n", -1)).hasSize(20_003);
        assertThat(export.header("RateLimit-Remaining")).hasValue("5");
        ApiClient.Response after = agent.get("/api/v1/tokens/me/usage");
        assertThat(after.header("RateLimit-Remaining"))
                .as("6 - 3 for the export - 1 for this request")
                .hasValue("2");

        // 2 left: the request takes one, rows 10,001-20,000 the other, row 20,001 is refused mid-stream
        assertThatThrownBy(() -> agent.get("/api/v1/atendimento?format=ndjson"))
                .isInstanceOf(UncheckedIOException.class);
        assertProblem(agent.get("/api/v1/atendimento?format=csv"), 429);
    }
}

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
        BulkVisits.insert(jdbc, 20_001);
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

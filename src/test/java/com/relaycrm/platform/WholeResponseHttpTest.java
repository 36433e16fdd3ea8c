package com.relaycrm.platform;

import static org.assertj.core.api.Assertions.assertThat;

import com.relaycrm.testsupport.ApiClient;
import com.relaycrm.testsupport.HttpTestSupport;
import java.util.UUID;
import org.apache.catalina.connector.Connector;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;

/** A JSON answer that fits the response buffer leaves whole, with its length; a larger one still streams. */
class WholeResponseHttpTest extends HttpTestSupport {

    @Autowired
    WebServerApplicationContext context;

    @Test
    void aPageThatFitsTheBufferIsSentWithItsLengthAndALargerOneStillStreams() {
        ApiClient sales = clientFor("whole-response", Role.SALES);
        String tag = UUID.randomUUID().toString().substring(0, 8);
        ApiClient.Response employee = sales.post(
                "/employees", "{\"name\":\"Whole\",\"email\":\"whole-" + tag + "@relay.test\",\"role\":\"SALES_REP\"}");
        assertThat(employee.status()).isEqualTo(201);
        long employeeId = employee.json().get("id").asLong();
        int leads = 160;
        for (int i = 0; i < leads; i++) {
            assertThat(sales.post(
                                    "/leads",
                                    "{\"name\":\"Whole " + i + "\",\"contact_email\":\"whole-" + tag + "-" + i
                                            + "@relay.test\",\"assigned_to\":" + employeeId + "}")
                            .status())
                    .isEqualTo(201);
        }

        ApiClient.Response small = sales.get("/leads?limit=3&assigned_to=" + employeeId);
        assertThat(small.status()).isEqualTo(200);
        assertThat(small.json().size()).isEqualTo(3);
        assertThat(small.header("Transfer-Encoding")).isEmpty();
        assertThat(small.header("Content-Length")).hasValue(Integer.toString(small.bytes().length));

        ApiClient.Response large = sales.get("/leads?limit=500&assigned_to=" + employeeId);
        assertThat(large.status()).isEqualTo(200);
        assertThat(large.bytes().length)
                .as("the page must be larger than the 32 KB buffer for this to mean anything")
                .isGreaterThan(32 * 1024);
        assertThat(large.header("Transfer-Encoding")).hasValue("chunked");
        assertThat(large.json().size()).isEqualTo(leads);
        assertThat(large.json().get(leads - 1).get("name").asString()).isEqualTo("Whole " + (leads - 1));
    }

    @Test
    void theSocketWriteBufferHoldsAPageOfFiftyLeads() {
        Connector connector =
                ((TomcatWebServer) context.getWebServer()).getTomcat().getConnector();

        assertThat(connector.getProperty("socket.appWriteBufSize")).isEqualTo(Integer.toString(16 * 1024));
    }
}

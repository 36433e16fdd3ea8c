package com.relaycrm.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import com.relaycrm.platform.Role;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.boot.test.web.server.LocalServerPort;

/** Base for HTTP tests against the started application; {@link #api} acts as the bootstrap admin. */
@RelayTest
public abstract class HttpTestSupport {

    @LocalServerPort
    protected int port;

    protected ApiClient api;

    @BeforeEach
    void createAdminClient() {
        api = new ApiClient(port, FreshDatabaseCustomizerFactory.ADMIN_TOKEN);
    }

    /** Issues a token for {@code username} with {@code roles} and returns a client using it. */
    protected ApiClient clientFor(String username, Role... roles) {
        String roleList = Arrays.stream(roles).map(r -> "\"" + r.name() + "\"").collect(Collectors.joining(","));
        ApiClient.Response response =
                api.post("/api/v1/tokens", "{\"username\":\"" + username + "\",\"roles\":[" + roleList + "]}");
        assertThat(response.status()).as(response.body()).isEqualTo(201);
        return api.as(response.json().get("token").asString());
    }

    /** Asserts an RFC 9457 body with the given status and returns its JSON. */
    protected static tools.jackson.databind.JsonNode assertProblem(ApiClient.Response response, int status) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.contentType()).startsWith("application/problem+json");
        var json = response.json();
        assertThat(json.get("status").asInt()).isEqualTo(status);
        assertThat(json.get("type").asString()).startsWith("https://relaycrm.com/problems/");
        assertThat(json.get("title").asString()).isNotBlank();
        assertThat(json.get("detail").asString()).isNotBlank();
        String body = response.body();
        assertThat(body).doesNotContain("Exception", "at com.", "at org.", "SQL", "java.");
        return json;
    }
}

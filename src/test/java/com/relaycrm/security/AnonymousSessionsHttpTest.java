package com.relaycrm.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.relaycrm.testsupport.ApiClient;
import com.relaycrm.testsupport.ConsoleClient;
import com.relaycrm.testsupport.FreshDatabaseCustomizerFactory;
import com.relaycrm.testsupport.HttpTestSupport;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Callers that keep no cookies must not make Relay store a session per request. */
class AnonymousSessionsHttpTest extends HttpTestSupport {

    @Autowired
    JdbcClient jdbc;

    private long rows(String table) {
        return jdbc.sql("SELECT count(*) FROM " + table).query(Long.class).single();
    }

    @Test
    void theSignInFormStoresNoSessionAndSigningInStoresOne() {
        long before = rows("console_session");
        for (int i = 0; i < 5; i++) {
            ConsoleClient.Page form = new ConsoleClient(port).get("/console/signin");
            assertThat(form.status()).isEqualTo(200);
            assertThat(form.headers().allValues("Set-Cookie")).noneMatch(c -> c.startsWith("relay_console="));
        }
        assertThat(rows("console_session")).isEqualTo(before);

        ConsoleClient forger = new ConsoleClient(port);
        ConsoleClient.Page forged = forger.postFormWithoutCsrf(
                "/console/signin", Map.of("token", FreshDatabaseCustomizerFactory.ADMIN_TOKEN));
        assertThat(forged.location())
                .as("a sign-in without the form's CSRF token")
                .doesNotEndWith("/console");
        assertThat(rows("console_session")).isEqualTo(before);

        ConsoleClient browser = new ConsoleClient(port);
        ConsoleClient.Page signedIn = browser.signIn(FreshDatabaseCustomizerFactory.ADMIN_TOKEN);
        assertThat(signedIn.status()).isEqualTo(302);
        assertThat(signedIn.location()).endsWith("/console");
        assertThat(rows("console_session")).isEqualTo(before + 1);
        assertThat(browser.get("/console").status()).isEqualTo(200);
        // Forms of a signed-in user still need the token (now kept in the session).
        assertThat(browser.postFormWithoutCsrf("/console/signout", Map.of()).status())
                .isEqualTo(403);
        assertThat(browser.postForm("/console/signout", Map.of()).location()).contains("/console/signin");
    }

    @Test
    void cookielessGistClientsStoreNoRowsAndReturningClientsKeepTheirPlace() {
        gist("g-anon-1", "alice");
        gist("g-anon-2", "bob");
        long before = rows("gistwatch_session");
        for (int i = 0; i < 5; i++) {
            ApiClient.Response response = api.get("/getGists");
            assertThat(response.status()).isEqualTo(200);
            assertThat(strings(response)).containsExactly("g-anon-1", "g-anon-2");
            assertThat(response.header("Set-Cookie").orElseThrow()).startsWith("gistwatch_session=");
        }
        assertThat(rows("gistwatch_session")).isEqualTo(before);

        // A client that keeps its cookie: the seed's "new since my last visit".
        ApiClient.Response first = api.get("/getGists?user=alice");
        assertThat(strings(first)).containsExactly("g-anon-1");
        String cookie = cookie(first);
        assertThat(rows("gistwatch_session")).isEqualTo(before);
        gist("g-anon-3", "alice");
        ApiClient.Response second = api.get("/getGists?user=alice", "Cookie", cookie);
        assertThat(strings(second)).containsExactly("g-anon-3");
        assertThat(cookie(second)).isEqualTo(cookie);
        assertThat(rows("gistwatch_session")).isEqualTo(before + 1);
        assertThat(strings(api.get("/getGists?user=alice", "Cookie", cookie))).isEmpty();
        assertThat(strings(api.get("/getGists", "Cookie", cookie)))
                .as("another view of the same session starts from nothing")
                .containsExactly("g-anon-1", "g-anon-2", "g-anon-3");

        // A forged cookie (changed horizon) is a new visitor, not a session.
        String[] parts = cookie.substring(cookie.indexOf('=') + 1).split("\\.");
        parts[2] = "0";
        String forged = "gistwatch_session=" + String.join(".", parts);
        assertThat(strings(api.get("/getGists?user=alice", "Cookie", forged))).containsExactly("g-anon-1", "g-anon-3");
    }

    private void gist(String id, String login) {
        jdbc.sql("""
                INSERT INTO gistwatch_gist (id, login_key, login, description, html_url, files, first_seen_at)
                VALUES (:id, :login, :login, 'd', 'https://gist.github.com/x', '{}'::jsonb, now())""").param("id", id).param("login", login).update();
    }

    private static List<String> strings(ApiClient.Response response) {
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        List<String> values = new ArrayList<>();
        response.json().forEach(node -> values.add(node.asString()));
        return values;
    }

    private static String cookie(ApiClient.Response response) {
        String header = response.header("Set-Cookie").orElseThrow();
        return header.substring(0, header.indexOf(';'));
    }
}

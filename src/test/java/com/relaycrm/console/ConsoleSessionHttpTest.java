package com.relaycrm.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.relaycrm.testsupport.ApiClient;
import com.relaycrm.testsupport.ConsoleClient;
import com.relaycrm.testsupport.HttpTestSupport;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The test client is the trusted proxy, so its X-Forwarded-Proto counts. */
@org.springframework.test.context.TestPropertySource(properties = "relay.trusted-proxies=127.0.0.1,::1")
class ConsoleSessionHttpTest extends HttpTestSupport {

    private JsonNode issue(String username, String role) {
        ApiClient.Response response =
                api.post("/api/v1/tokens", "{\"username\":\"" + username + "\",\"roles\":[\"" + role + "\"]}");
        assertThat(response.status()).as(response.body()).isEqualTo(201);
        return response.json();
    }

    @Test
    void unsignedPagesRedirectToTheSignInForm() {
        ConsoleClient browser = new ConsoleClient(port);
        assertThat(browser.get("/").location()).endsWith("/console/signin");
        ConsoleClient.Page page = browser.get("/console/pipeline");
        assertThat(page.status()).isEqualTo(302);
        assertThat(page.location()).endsWith("/console/signin");
        ConsoleClient.Page htmx = browser.get("/console/pipeline", "HX-Request", "true");
        assertThat(htmx.status()).isEqualTo(401);
        assertThat(htmx.header("HX-Redirect")).contains("/console/signin");
        ConsoleClient.Page expiredForm = browser.postFormWithoutCsrf("/console/leads/1/convert", Map.of());
        assertThat(expiredForm.status()).isEqualTo(302);
        assertThat(expiredForm.location()).endsWith("/console/signin");

        // API clients (no Accept: text/html) get the API's problem bodies, never a redirect or a page.
        assertProblem(api.anonymous().get("/console/pipeline"), 401);
        assertProblem(api.anonymous().get("/"), 401);
        assertProblem(api.anonymous().post("/console/leads/1/convert", "{}"), 401);
        assertProblem(api.get("/console/pipeline"), 401);

        ConsoleClient.Page form = browser.get("/console/signin");
        assertThat(form.status()).isEqualTo(200);
        assertThat(form.body()).contains("name=\"token\"", "name=\"_csrf\"");
    }

    @Test
    void aBadTokenIsAReadableErrorAndStartsNoSession() {
        ConsoleClient browser = new ConsoleClient(port);
        ConsoleClient.Page page = browser.signIn("rly_this-token-was-never-issued-000000000");
        assertThat(page.status()).as(page.body()).isEqualTo(401);
        assertThat(page.header("Content-Type").orElseThrow()).startsWith("text/html");
        assertThat(page.body()).contains("That token is unknown or revoked").doesNotContain("Exception", "at com.");
        assertThat(browser.get("/console").status()).isEqualTo(302);

        ConsoleClient.Page empty = browser.postForm("/console/signin", Map.of("token", "  "));
        assertThat(empty.status()).isEqualTo(401);
        assertThat(empty.body()).contains("Paste an API token");
        ConsoleClient.Page huge = browser.postForm("/console/signin", Map.of("token", "x".repeat(5000)));
        assertThat(huge.status()).isEqualTo(401);
    }

    @Test
    void signInSetsAStrictHttpOnlyCookieThatIsSecureOverHttps() {
        JsonNode token = issue("carol", "SALES");
        ConsoleClient browser = new ConsoleClient(port);
        browser.get("/console/signin");
        ConsoleClient.Page signedIn = browser.postForm(
                "/console/signin", Map.of("token", token.get("token").asString()));
        assertThat(signedIn.status()).as(signedIn.body()).isEqualTo(302);
        assertThat(signedIn.location()).endsWith("/console");
        String cookie = signedIn.headers().allValues("Set-Cookie").stream()
                .filter(c -> c.startsWith("relay_console="))
                .reduce((a, b) -> b)
                .orElseThrow();
        assertThat(cookie).contains("HttpOnly", "SameSite=Strict", "Path=/").doesNotContain("Secure");
        ConsoleClient.Page home = browser.get("/console");
        assertThat(home.status()).isEqualTo(200);
        assertThat(home.body())
                .contains("Welcome, carol", "Sign out")
                .doesNotContain(token.get("token").asString());

        ConsoleClient https = new ConsoleClient(port);
        ConsoleClient.Page form = https.get("/console/signin", "X-Forwarded-Proto", "https");
        // Before sign-in the form's CSRF token is in a cookie, Secure over HTTPS too; this client speaks plain HTTP to
        // the "proxy", so it sends that cookie by hand, as the browser would over HTTPS.
        String csrfCookie = form.headers().allValues("Set-Cookie").stream()
                .filter(c -> c.startsWith("relay_console_csrf="))
                .findFirst()
                .orElseThrow();
        assertThat(csrfCookie).contains("Secure", "HttpOnly", "SameSite=Strict");
        ConsoleClient.Page secure = https.postForm(
                "/console/signin",
                Map.of("token", token.get("token").asString()),
                "X-Forwarded-Proto",
                "https",
                "Cookie",
                csrfCookie.substring(0, csrfCookie.indexOf(';')));
        assertThat(secure.headers().allValues("Set-Cookie"))
                .anySatisfy(c -> assertThat(c).startsWith("relay_console=").contains("Secure", "HttpOnly"));
    }

    @Test
    void formsNeedTheCsrfTokenAndSignOutEndsTheSession() {
        JsonNode token = issue("dave", "VIEWER");
        ConsoleClient browser = new ConsoleClient(port);
        browser.signIn(token.get("token").asString());
        assertThat(browser.get("/console").status()).isEqualTo(200);

        ConsoleClient.Page forged = browser.postFormWithoutCsrf("/console/signout", Map.of());
        assertThat(forged.status()).isEqualTo(403);
        assertThat(forged.body()).contains("This form has expired");
        assertThat(browser.get("/console").status()).isEqualTo(200);

        ConsoleClient.Page out = browser.postForm("/console/signout", Map.of());
        assertThat(out.status()).isEqualTo(302);
        assertThat(out.location()).endsWith("/console/signin?signed_out");
        assertThat(browser.get("/console").status()).isEqualTo(302);
        assertThat(browser.get("/console/signin?signed_out").body()).contains("You are signed out");
    }

    @Test
    void revokingTheTokenEndsItsConsoleSessionsAtTheNextRequest() {
        JsonNode token = issue("erin", "SALES");
        ConsoleClient first = new ConsoleClient(port);
        ConsoleClient second = new ConsoleClient(port);
        first.signIn(token.get("token").asString());
        second.signIn(token.get("token").asString());
        assertThat(first.get("/console").status()).isEqualTo(200);
        assertThat(second.get("/console").status()).isEqualTo(200);

        assertThat(api.delete("/api/v1/tokens/" + token.get("id").asLong()).status())
                .isEqualTo(204);

        for (ConsoleClient browser : new ConsoleClient[] {first, second}) {
            ConsoleClient.Page page = browser.get("/console");
            assertThat(page.status()).isEqualTo(302);
            assertThat(page.location()).endsWith("/console/signin?revoked");
            assertThat(browser.get("/console/signin?revoked").body()).contains("revoked");
            assertThat(browser.get("/console").location()).endsWith("/console/signin");
        }
    }

    @Test
    void theApiStaysStatelessAndIgnoresConsoleSessions() {
        JsonNode token = issue("frank", "ADMIN");
        ConsoleClient browser = new ConsoleClient(port);
        browser.signIn(token.get("token").asString());
        ConsoleClient.Page api = browser.get("/api/v1/tokens");
        assertThat(api.status()).isEqualTo(401);
        assertThat(api.header("Content-Type").orElseThrow()).startsWith("application/problem+json");
        assertThat(api.headers().allValues("Set-Cookie")).isEmpty();
    }

    @Test
    void assetsAreServedFromTheJarWithoutSignIn() {
        ConsoleClient browser = new ConsoleClient(port);
        assertThat(browser.get("/webjars/htmx.org/dist/htmx.min.js").status()).isEqualTo(200);
        assertThat(browser.get("/webjars/chart.js/dist/chart.umd.min.js").status())
                .isEqualTo(200);
        assertThat(browser.get("/console/assets/console.css").status()).isEqualTo(200);
        assertThat(browser.get("/console/assets/console.js").status()).isEqualTo(200);
    }
}

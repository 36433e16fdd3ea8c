package com.relaycrm.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.relaycrm.testsupport.ConsoleClient;
import com.relaycrm.testsupport.FreshDatabaseCustomizerFactory;
import com.relaycrm.testsupport.HttpTestSupport;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * A multipart body must be refused before it is read, unless it goes to an import route from someone allowed to
 * import. Each request here announces 40 MB and sends only the first part's headers: a server that read the body
 * before answering would never answer.
 */
class MultipartGateHttpTest extends HttpTestSupport {

    private static final String BOUNDARY = "relay-boundary";

    @Test
    void multipartOutsideTheImportRoutesIsRefusedUnread() throws IOException {
        String signIn = startMultipart("POST", "/console/signin", "");
        assertThat(signIn).startsWith("HTTP/1.1 415");
        assertThat(signIn).contains("application/problem+json");

        String leads =
                startMultipart("GET", "/leads", "Authorization: Bearer " + FreshDatabaseCustomizerFactory.ADMIN_TOKEN);
        assertThat(leads).startsWith("HTTP/1.1 415");
    }

    @Test
    void anUploadToTheConsoleNeedsASignedInImporterBeforeItIsRead() throws IOException {
        String anonymous = startMultipart("POST", "/console/imports", "Accept: text/html");
        assertThat(anonymous).startsWith("HTTP/1.1 302").contains("Location: /console/signin");

        ConsoleClient viewer = new ConsoleClient(port);
        viewer.signIn(clientFor("vera", com.relaycrm.platform.Role.VIEWER).token());
        String cookie = viewer.cookie("relay_console").orElseThrow().toString();
        String denied = startMultipart("POST", "/console/imports", "Cookie: " + cookie);
        assertThat(denied).startsWith("HTTP/1.1 403");
    }

    @Test
    void aSignedInImporterStillUploadsThroughTheConsole() throws Exception {
        ConsoleClient admin = new ConsoleClient(port);
        admin.signIn(FreshDatabaseCustomizerFactory.ADMIN_TOKEN);
        admin.get("/console/imports");
        String cookie = admin.cookie("relay_console").orElseThrow().toString();
        String csv = "id_atendimento;id_cliente;angel;polo;data_limite;data_de_atendimento\n"
                + "900001;1;Ana;SP - UPLOAD;30/06/2021;\n";
        String body = "--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n" + admin.csrf()
                + "\r\n--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"v.csv\"\r\n"
                + "Content-Type: text/csv\r\n\r\n" + csv + "\r\n--" + BOUNDARY + "--\r\n";
        var response = java.net.http.HttpClient.newBuilder()
                .version(java.net.http.HttpClient.Version.HTTP_1_1)
                .build()
                .send(
                        java.net.http.HttpRequest.newBuilder(
                                        java.net.URI.create("http://localhost:" + port + "/console/imports"))
                                .header("Content-Type", "multipart/form-data; boundary=" + BOUNDARY)
                                .header("Cookie", cookie)
                                .header("Accept", "text/html")
                                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body))
                                .build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(302);
        assertThat(response.headers().firstValue("Location").orElseThrow()).startsWith("/console/imports/");
    }

    @Test
    void theApiImportRouteStillRefusesAnonymousUploadsUnread() throws IOException {
        assertThat(startMultipart("POST", "/api/v1/atendimento/import_csv", "")).startsWith("HTTP/1.1 401");
    }

    /** Sends the request line, headers and the start of a 40 MB multipart body; returns what came back in 10 s. */
    private String startMultipart(String method, String path, String extraHeader) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            String head = method + " " + path + " HTTP/1.1\r\n" + "Host: localhost\r\n"
                    + "Content-Type: multipart/form-data; boundary=" + BOUNDARY + "\r\n"
                    + "Content-Length: " + (40L * 1024 * 1024) + "\r\n"
                    + (extraHeader.isEmpty() ? "" : extraHeader + "\r\n")
                    + "\r\n"
                    + "--" + BOUNDARY + "\r\n"
                    + "Content-Disposition: form-data; name=\"file\"; filename=\"big.csv\"\r\n"
                    + "Content-Type: text/csv\r\n\r\n"
                    + "x".repeat(1000);
            out.write(head.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream response = new ByteArrayOutputStream();
            byte[] buffer = new byte[4096];
            try {
                int n;
                while ((n = in.read(buffer)) > 0) {
                    response.write(buffer, 0, n);
                    if (response.toString(StandardCharsets.ISO_8859_1).contains("\r\n\r\n")) {
                        break;
                    }
                }
            } catch (SocketTimeoutException readWholeBodyFirst) {
                // falls through: the assertion below shows nothing came back
            }
            return response.toString(StandardCharsets.ISO_8859_1);
        }
    }
}

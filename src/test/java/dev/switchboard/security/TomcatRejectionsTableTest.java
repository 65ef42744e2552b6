package dev.switchboard.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Requests that HTTP clients refuse to send, over a raw socket, as a table: what is wrong → the status and which
 * error shape. Tomcat refuses most of them before the application sees them (its error report valve writes the
 * answer), Spring Security's firewall the rest (then Boot's /error does); under /api and /v1 every answer is that
 * API's JSON error body, whatever the Accept header. Other paths keep Tomcat's page (the last row).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.datasource.url=jdbc:h2:mem:tomcat-${random.uuid};DB_CLOSE_DELAY=-1",
        "switchboard.admin-password=" + TomcatRejectionsTableTest.ADMIN_PASSWORD})
@DirtiesContext
class TomcatRejectionsTableTest {
    static final String ADMIN_PASSWORD = "Admin-password-1";
    private static final ObjectMapper JSON = new ObjectMapper();

    @LocalServerPort
    int port;

    @ParameterizedTest(name = "{index}: {0} {1} -> {2} {3}")
    @CsvSource(delimiter = '|', textBlock = """
            a 64 KB header                    | /api/tokens              | 400 | api
            a 64 KB header                    | /v1/models               | 400 | openai
            an encoded slash                  | /api/tokens/1%2f2        | 400 | api
            an encoded slash                  | /v1/models/a%2fb         | 400 | openai
            an encoded NUL                    | /api/tokens/1%002        | 400 | api
            an encoded NUL                    | /v1/models/a%00b         | 400 | openai
            an encoded backslash              | /api/tokens/1%5c2        | 400 | api
            control characters in Authorization | /api/tokens            | 400 | api
            control characters in Authorization | /v1/models             | 400 | openai
            300 headers                       | /api/tokens              | 400 | api
            300 headers                       | /v1/chat/completions     | 400 | openai
            a space in a header name          | /api/chat                | 400 | api
            a raw pipe in the path            | /api/tokens/a{PIPE}b     | 400 | api
            a raw non-ASCII byte in the path  | /api/tokens/é            | 400 | api
            a path the firewall refuses       | /api/tokens/..;/x        | 400 | api
            a path the firewall refuses       | /v1/models/..;/x         | 400 | openai
            an encoded percent                | /api/tokens/%25          | 400 | api
            a path the firewall refuses, from a browser | /api/tokens/..;/x | 400 | api
            an Accept the API cannot answer   | /api/tokens              | 406 | api
            an encoded slash                  | /c/a%2fb                 | 400 | html
            """)
    void tomcatsOwnRejectionsAreTheApisJson(String what, String path, int status, String shape) throws Exception {
        String auth = "Authorization: Basic " + Base64.getEncoder().encodeToString(("admin:" + ADMIN_PASSWORD).getBytes()) + "\r\n";
        String headers = switch (what) {
            case "a 64 KB header" -> "X-Big: " + "a".repeat(64 * 1024) + "\r\n";
            case "control characters in Authorization" -> "Authorization: Basic \u0001\u0002abc\r\n";
            case "300 headers" -> auth + "X-Header: v\r\n".repeat(300);
            case "a space in a header name" -> auth + "Bad Header: v\r\n";
            case "a path the firewall refuses, from a browser" -> auth + "Accept: text/html\r\n";
            case "an Accept the API cannot answer" -> auth + "Accept: application/xml\r\n";
            default -> auth;
        };
        Answer a = send("GET " + path.replace("{PIPE}", "|") + " HTTP/1.1\r\nHost: localhost\r\n" + headers + "Connection: close\r\n\r\n");

        assertThat(a.status).as(a.head + a.body).isEqualTo(status);
        if (shape.equals("html")) {
            assertThat(a.header("content-type")).startsWith("text/html");
            return;
        }
        assertThat(a.header("content-type")).as(a.body).startsWith("application/json");
        JsonNode error = JSON.readTree(a.body).get("error");
        assertThat(error.get("message").asText()).isNotBlank();
        assertThat(error.get("type").asText()).isNotBlank();
        assertThat(error.has("code")).as("OpenAI's shape has a code, ours does not").isEqualTo(shape.equals("openai"));
        assertThat(a.body).doesNotContain("Exception").doesNotContain("Tomcat");
    }

    private record Answer(int status, String head, String body) {
        String header(String name) {
            for (String line : head.split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals(name)) {
                    return line.substring(colon + 1).trim();
                }
            }
            return "";
        }
    }

    /** Sends the request as ISO-8859-1 bytes (a raw "é" is one byte) and reads the answer to the end. */
    private Answer send(String request) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            InputStream in = socket.getInputStream();
            try {
                in.transferTo(all);
            } catch (IOException reset) {
                // Tomcat may reset the connection after answering a request it did not read to the end
            }
            String text = all.toString(StandardCharsets.UTF_8);
            int split = text.indexOf("\r\n\r\n");
            String head = split < 0 ? text : text.substring(0, split);
            String body = split < 0 ? "" : dechunk(text.substring(split + 4), head);
            return new Answer(Integer.parseInt(head.split(" ")[1]), head, body);
        }
    }

    private static String dechunk(String body, String head) {
        if (!head.toLowerCase(Locale.ROOT).contains("transfer-encoding: chunked")) return body;
        StringBuilder out = new StringBuilder();
        int at = 0;
        while (true) {
            int eol = body.indexOf("\r\n", at);
            int size = Integer.parseInt(body.substring(at, eol).trim(), 16);
            if (size == 0) return out.toString();
            out.append(body, eol + 2, eol + 2 + size);
            at = eol + 2 + size + 2;
        }
    }
}

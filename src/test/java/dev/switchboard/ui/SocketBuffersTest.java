package dev.switchboard.ui;

import org.apache.catalina.connector.Connector;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.embedded.tomcat.TomcatWebServer;
import org.springframework.boot.web.servlet.context.ServletWebServerApplicationContext;
import org.springframework.test.annotation.DirtiesContext;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link PushMemoryConfig} gives every connection a 2 KB socket read buffer instead of 8 KB (an open tab keeps its
 * push websocket's for as long as it is open). Plain HTTP still works as before: headers up to the configured limit,
 * and responses far bigger than the buffers. (Big pushes: LargeReplyInBrowserTest.) Also the other per-connection
 * memory setting: how many idle request processors Tomcat keeps.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.datasource.url=jdbc:h2:mem:socket-buffers-${random.uuid};DB_CLOSE_DELAY=-1",
        "switchboard.admin-password=Admin-password-1"})
@DirtiesContext
class SocketBuffersTest {
    @LocalServerPort
    int port;

    @Autowired
    ServletWebServerApplicationContext context;

    private Connector connector() {
        return ((TomcatWebServer) context.getWebServer()).getTomcat().getConnector();
    }

    @Test
    void everyConnectionGetsASmallSocketReadBuffer() {
        Connector connector = connector();
        assertThat(connector.getProperty("socket.appReadBufSize")).hasToString("2048");
        assertThat(connector.getProperty("socket.appWriteBufSize")).as("Tomcat's default").hasToString("8192");
    }

    @Test
    void theChannelsOfUpTo500ClosedConnectionsAreKeptForReuse() {
        // Tomcat's default keeps none below a 2 GB heap (SocketProperties.getActualBufferPool).
        assertThat(connector().getProperty("socket.bufferPool")).hasToString("500");
    }

    @Test
    void upTo1024IdleRequestProcessorsAreKeptForReuse() {
        // Tomcat's default is 200: with more streams open than that, each further request built a new processor
        // (~40 KB of buffers) that lived as long as its stream (application.properties, server.tomcat.processor-cache).
        assertThat(connector().getProperty("processorCache")).hasToString("1024");
    }

    @Test
    void requestHeadersUpToTheConfiguredLimitStillParse() throws IOException {
        // Tomcat parses headers in a buffer of max header size (8 KB by default) plus one socket read buffer.
        assertThat(statusWithHeaderOf(7_500)).isEqualTo(200);
        assertThat(statusWithHeaderOf(9_000)).as("the limit itself is unchanged").isEqualTo(400);
    }

    @Test
    void aResponseFarBiggerThanTheSocketBuffersArrivesWhole() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        String page = http.send(get("/login"), HttpResponse.BodyHandlers.ofString()).body();
        Matcher script = Pattern.compile("/?VAADIN/build/[^\"']+\\.js").matcher(page);
        assertThat(script.find()).as("the login page loads the frontend bundle: " + page).isTrue();
        String path = script.group().startsWith("/") ? script.group() : "/" + script.group();

        HttpResponse<byte[]> bundle = http.send(get(path), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(bundle.statusCode()).isEqualTo(200);
        try (InputStream expected = getClass().getResourceAsStream("/META-INF/VAADIN/webapp" + path)) {
            assertThat(expected).as("the bundle on the class path").isNotNull();
            byte[] bytes = expected.readAllBytes();
            assertThat(bytes.length).isGreaterThan(20 * 2048);
            assertThat(bundle.body()).isEqualTo(bytes);
        }
    }

    private HttpRequest get(String path) {
        return HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build();
    }

    private int statusWithHeaderOf(int bytes) throws IOException {
        try (Socket socket = new Socket("localhost", port)) {
            OutputStream out = socket.getOutputStream();
            out.write(("GET /login HTTP/1.1\r\nHost: localhost\r\nX-Filler: " + "a".repeat(bytes)
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            return Integer.parseInt(response.substring(9, 12));
        }
    }
}

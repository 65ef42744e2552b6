package dev.switchboard.testsupport;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.OAuth2Config;
import no.nav.security.mock.oauth2.http.MockWebServerWrapper;
import no.nav.security.mock.oauth2.token.OAuth2TokenProvider;
import org.springframework.test.context.DynamicPropertyRegistry;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

/**
 * A real OpenID Connect provider on a loopback socket (navikt's mock-oauth2-server, issuer {@code /default}, with
 * its interactive login page: type any username and, optionally, claims as JSON), registered with the app under test
 * as {@value #REGISTRATION}. The app fetches tokens through a relay in front of the provider's token endpoint, which
 * passes them on unchanged unless a test asks it to alter the next ID token (a man in the middle).
 */
public final class MockIdentityProvider implements AutoCloseable {
    public static final String REGISTRATION = "mock";
    public static final String CLIENT_NAME = "Mock IdP";
    public static final String CLIENT_ID = "switchboard";
    public static final String CLIENT_SECRET = "sso-client-secret-7f3a91";
    private static final String ISSUER_ID = "default";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final MockOAuth2Server server;
    private final HttpServer relay;
    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    private final AtomicReference<UnaryOperator<ObjectNode>> nextIdTokenChange = new AtomicReference<>();
    private final AtomicReference<Instant> issueAsOf = new AtomicReference<>();

    private MockIdentityProvider() throws IOException {
        server = new MockOAuth2Server(new OAuth2Config(true, null, null, false, new OAuth2TokenProvider(issueAsOf::get), java.util.Set.of(),
                new MockWebServerWrapper()));
        server.start();
        relay = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        relay.createContext("/", this::relayToken);
        relay.start();
    }

    public static MockIdentityProvider start() {
        try {
            return new MockIdentityProvider();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The registration, the Spring way: the provider found by its issuer, the token endpoint through the relay. */
    public void register(DynamicPropertyRegistry r) {
        String registration = "spring.security.oauth2.client.registration." + REGISTRATION + ".";
        r.add(registration + "client-id", () -> CLIENT_ID);
        r.add(registration + "client-secret", () -> CLIENT_SECRET);
        r.add(registration + "client-name", () -> CLIENT_NAME);
        r.add(registration + "scope", () -> "openid,profile");
        String provider = "spring.security.oauth2.client.provider." + REGISTRATION + ".";
        r.add(provider + "issuer-uri", this::issuer);
        r.add(provider + "token-uri", () -> "http://127.0.0.1:" + relay.getAddress().getPort() + "/" + ISSUER_ID + "/token");
    }

    public String issuer() {
        return server.issuerUrl(ISSUER_ID).toString();
    }

    /** The next ID token the app fetches has its payload changed by {@code change}; header and signature stay. */
    public void tamperWithNextIdToken(UnaryOperator<ObjectNode> change) {
        nextIdTokenChange.set(change);
    }

    /** Tokens are issued as if it were {@code time} (their iat, nbf and exp follow it); null: now again. */
    public void issueTokensAsOf(Instant time) {
        issueAsOf.set(time);
    }

    /** Where a sign-in through the app ended: the app's last redirect, and its session cookie. */
    public record SignIn(String location, String sessionCookie) {
        /** Landed in the app rather than back on the login page. */
        public boolean succeeded() {
            return !location.contains("/login");
        }
    }

    /**
     * Signs in to the app at {@code appPort} as a browser would, without one: the app sends us to the provider, whose
     * login form gets {@code username} and {@code claims} (JSON), and the provider sends us back with a code.
     */
    public SignIn signIn(int appPort, String username, String claims) {
        HttpResponse<String> start = send(HttpRequest.newBuilder(URI.create("http://localhost:" + appPort
                + "/oauth2/authorization/" + REGISTRATION)).GET());
        String session = sessionCookie(start).orElseThrow(() -> new AssertionError("no session: " + start.headers().map()));
        String authorize = location(start);
        if (!authorize.startsWith(issuer())) throw new AssertionError("not sent to the provider: " + authorize);
        String form = "username=" + enc(username) + "&claims=" + enc(claims);
        HttpResponse<String> login = send(HttpRequest.newBuilder(URI.create(authorize))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form)));
        String callback = location(login);
        HttpResponse<String> back = send(HttpRequest.newBuilder(URI.create(callback)).header("Cookie", session).GET());
        return new SignIn(location(back), sessionCookie(back).orElse(session));
    }

    private void relayToken(HttpExchange exchange) throws IOException {
        try (exchange) {
            HttpRequest.Builder forward = HttpRequest.newBuilder(URI.create(server.baseUrl().toString()
                            .replaceAll("/$", "") + exchange.getRequestURI()))
                    .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(exchange.getRequestBody().readAllBytes()));
            for (String header : List.of("Content-Type", "Authorization", "Accept")) {
                String value = exchange.getRequestHeaders().getFirst(header);
                if (value != null) forward.header(header, value);
            }
            HttpResponse<String> answer = send(forward);
            String body = answer.body();
            UnaryOperator<ObjectNode> change = nextIdTokenChange.getAndSet(null);
            if (change != null && answer.statusCode() == 200) body = withIdTokenChanged(body, change);
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", answer.headers().firstValue("Content-Type").orElse("application/json"));
            exchange.sendResponseHeaders(answer.statusCode(), bytes.length);
            exchange.getResponseBody().write(bytes);
        }
    }

    private static String withIdTokenChanged(String tokenResponse, UnaryOperator<ObjectNode> change) throws IOException {
        ObjectNode response = (ObjectNode) JSON.readTree(tokenResponse);
        String[] parts = response.get("id_token").asText().split("\\.");
        ObjectNode payload = (ObjectNode) JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
        String changed = Base64.getUrlEncoder().withoutPadding().encodeToString(JSON.writeValueAsBytes(change.apply(payload)));
        response.put("id_token", parts[0] + "." + changed + "." + parts[2]);
        return JSON.writeValueAsString(response);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String location(HttpResponse<?> response) {
        if (response.statusCode() / 100 != 3) {
            throw new AssertionError("expected a redirect from " + response.uri() + ", got " + response.statusCode() + ": " + response.body());
        }
        return response.headers().firstValue("Location").orElseThrow();
    }

    private static Optional<String> sessionCookie(HttpResponse<?> response) {
        return response.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("JSESSIONID="))
                .map(c -> c.substring(0, c.indexOf(';') < 0 ? c.length() : c.indexOf(';'))).findFirst();
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        relay.stop(0);
        server.shutdown();
    }
}

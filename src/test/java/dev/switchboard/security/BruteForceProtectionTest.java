package dev.switchboard.security;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.testsupport.LoginForm;
import dev.switchboard.users.Role;
import dev.switchboard.users.UserAccounts;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.test.annotation.DirtiesContext;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Guessing a password over real HTTP (HTTP Basic and the login form): it pauses the guesser's address for that name,
 * never the real user's device or another address. The guesser is this test's HTTP client; "another address" is a
 * socket bound to another loopback address (127.0.0.2, ...), which the server sees as the client's.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.datasource.url=jdbc:h2:mem:sec-${random.uuid};DB_CLOSE_DELAY=-1",
        "switchboard.admin-password=" + BruteForceProtectionTest.ADMIN_PASSWORD,
        "switchboard.security.login.max-failures-per-user=20",
        // Every test method guesses from this client's address; the per-address ceiling is LoginThrottleTest's.
        "switchboard.security.login.max-failures-per-address=1000"})
@DirtiesContext
class BruteForceProtectionTest {
    static final String ADMIN_PASSWORD = "Admin-password-1";

    @TestConfiguration
    static class Clocks {
        @Bean
        @Primary
        MutableClock testClock() {
            return new MutableClock();
        }
    }

    @LocalServerPort
    int port;
    @Autowired
    UserAccounts accounts;
    @Autowired
    MutableClock clock;

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    private Http http;

    @BeforeEach
    void setUp() {
        http = new Http(port);
    }

    @Test
    void elevenWrongPasswordsFromOneAddressLeaveTheRightOneWorkingFromAKnownDeviceAndFromAnotherAddress() throws Exception {
        accounts.create("carol", "carol-password-1", Role.USER);
        // Carol logged in from her laptop before: it has a device cookie.
        HttpResponse<String> earlier = LoginForm.post(client, port, "carol", "carol-password-1");
        assertThat(earlier.headers().firstValue("Location").orElseThrow()).doesNotContain("login");
        String laptop = deviceCookie(earlier);

        for (int i = 0; i < 10; i++) {
            assertThat(basicLogin("carol", "guess-number-" + i).statusCode()).as("guess " + (i + 1)).isEqualTo(401);
            assertThat(basicLogin("admin", "guess-number-" + i).statusCode()).as("admin guess " + (i + 1)).isEqualTo(401);
        }
        assertThat(basicLogin("carol", "guess-number-10").statusCode()).as("the 11th guess").isEqualTo(429);

        // The guesser's address is paused for these names, the right password included.
        HttpResponse<String> refused = basicLogin("carol", "carol-password-1");
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.headers().firstValue("Retry-After")).contains("30");
        assertThat(json.readTree(refused.body()).at("/error/type").asText()).isEqualTo("too_many_attempts");
        assertThat(json.readTree(refused.body()).at("/error/message").asText()).contains("Try again in 30 seconds");
        assertThat(basicLogin("admin", ADMIN_PASSWORD).statusCode()).isEqualTo(429);
        assertThat(LoginForm.post(client, port, "carol", "carol-password-1").headers().firstValue("Location")
                .orElseThrow()).endsWith("/login?locked=30");

        // Carol's laptop gets in, even from the guesser's address (the same office network, say)...
        assertThat(http.get("/api/tokens", "Authorization", Http.basic("carol", "carol-password-1"), "Cookie", laptop)
                .statusCode()).isEqualTo(200);
        HttpResponse<String> form = LoginForm.post(client, port, LoginForm.open(client, port, null), "carol",
                "carol-password-1", laptop);
        assertThat(form.headers().firstValue("Location").orElseThrow()).doesNotContain("login");
        // ...and so does any device from another address, the admin's too.
        assertThat(basicFrom("127.0.0.2", "carol", "carol-password-1", null)).isEqualTo(200);
        assertThat(basicFrom("127.0.0.3", "admin", ADMIN_PASSWORD, null)).isEqualTo(200);
    }

    @Test
    void guessesFromManyAddressesPauseTheNameForNewDevicesButNotForOneThatLoggedInBefore() throws Exception {
        accounts.create("dana", "dana-password-1", Role.USER);
        String laptop = deviceCookie(http.get("/api/tokens", "Authorization", Http.basic("dana", "dana-password-1")));

        for (int i = 1; i <= 20; i++) { // one guess from each of 20 addresses: the per-name ceiling here
            assertThat(basicFrom("127.0.1." + i, "dana", "guess-" + i, null)).as("guess " + i).isEqualTo(401);
        }
        assertThat(basicFrom("127.0.2.1", "dana", "dana-password-1", null)).as("a new device").isEqualTo(429);
        assertThat(basicFrom("127.0.2.1", "dana", "dana-password-1", laptop)).as("her laptop").isEqualTo(200);

        clock.advance(Duration.ofSeconds(31));
        assertThat(basicFrom("127.0.2.1", "dana", "dana-password-1", null)).as("after the pause").isEqualTo(200);
    }

    @Test
    void tenFailuresPauseTheNameAtThatAddressUntilTheDelayHasPassed() throws Exception {
        accounts.create("victim", "victim-password-1", Role.USER);
        accounts.create("bystander", "bystander-password-1", Role.USER);

        for (int i = 0; i < 10; i++) {
            assertThat(basicLogin("victim", "guess-number-" + i).statusCode()).as("attempt " + (i + 1)).isEqualTo(401);
        }
        HttpResponse<String> refused = basicLogin("victim", "victim-password-1");
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.headers().firstValue("Retry-After")).contains("30");

        // Another username, from the same address, is unaffected.
        assertThat(basicLogin("bystander", "wrong-password-1").statusCode()).isEqualTo(401);
        assertThat(basicLogin("bystander", "bystander-password-1").statusCode()).isEqualTo(200);

        clock.advance(Duration.ofSeconds(29));
        assertThat(basicLogin("victim", "victim-password-1").statusCode()).isEqualTo(429);

        clock.advance(Duration.ofSeconds(2));
        assertThat(basicLogin("victim", "victim-password-1").statusCode()).isEqualTo(200);
        // The success reset the count: one more mistake is an ordinary 401.
        assertThat(basicLogin("victim", "another-guess-1").statusCode()).isEqualTo(401);
    }

    @Test
    void failedFormLoginsCountAndTheDelayGrows() {
        accounts.create("formuser", "formuser-password-1", Role.USER);
        for (int i = 0; i < 10; i++) {
            HttpResponse<String> r = LoginForm.post(client, port, "formuser", "wrong-" + i);
            assertThat(r.headers().firstValue("Location").orElseThrow()).endsWith("/login?error");
        }
        assertThat(basicLogin("formuser", "formuser-password-1").statusCode()).isEqualTo(429);

        clock.advance(Duration.ofSeconds(31));
        assertThat(basicLogin("FormUser", "still-wrong-1").statusCode()).isEqualTo(401); // 11th failure
        HttpResponse<String> refused = basicLogin("formuser", "formuser-password-1");
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.headers().firstValue("Retry-After")).contains("60");
    }

    @Test
    void aForwardedForHeaderIsNotBelievedWithoutTheProxySetting() {
        accounts.create("xavier", "xavier-password-1", Role.USER);
        for (int i = 0; i < 10; i++) { // each guess claims another client address
            assertThat(http.get("/api/tokens", "Authorization", Http.basic("xavier", "guess-" + i),
                    "X-Forwarded-For", "198.51.100." + i).statusCode()).isEqualTo(401);
        }
        assertThat(http.get("/api/tokens", "Authorization", Http.basic("xavier", "xavier-password-1"),
                "X-Forwarded-For", "198.51.100.99").statusCode()).isEqualTo(429);
    }

    private HttpResponse<String> basicLogin(String username, String password) {
        return http.get("/api/tokens", "Authorization", Http.basic(username, password));
    }

    /** GET /api/tokens with Basic over a socket bound to this loopback address; the status code. */
    private int basicFrom(String address, String username, String password, String cookie) throws IOException {
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(address, 0));
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            socket.setSoTimeout(10_000);
            String request = "GET /api/tokens HTTP/1.1\r\nHost: localhost\r\nAuthorization: " + Http.basic(username, password)
                    + "\r\n" + (cookie == null ? "" : "Cookie: " + cookie + "\r\n") + "Connection: close\r\n\r\n";
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            String status = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII)).readLine();
            return Integer.parseInt(status.split(" ")[1]);
        }
    }

    private static String deviceCookie(HttpResponse<?> response) {
        return response.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith(DeviceCookies.COOKIE + "="))
                .map(c -> c.substring(0, c.indexOf(';'))).findFirst()
                .orElseThrow(() -> new AssertionError("no device cookie: " + response.headers().map()));
    }
}

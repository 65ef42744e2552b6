package dev.switchboard.security;

import dev.switchboard.users.Role;
import dev.switchboard.users.UserAccounts;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Behind a reverse proxy, with {@code server.forward-headers-strategy=native} (README), the login throttle counts per
 * real client: the address in X-Forwarded-For set by a proxy on a private or loopback address.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.datasource.url=jdbc:h2:mem:proxy-${random.uuid};DB_CLOSE_DELAY=-1",
        "switchboard.admin-password=Admin-password-1",
        "server.forward-headers-strategy=native"})
@DirtiesContext
class ClientAddressBehindAProxyTest {

    @LocalServerPort
    int port;
    @Autowired
    UserAccounts accounts;

    @Test
    void guessesThroughTheProxyPauseTheGuessersAddressNotEveryoneBehindTheProxy() {
        accounts.create("quinn", "quinn-password-1", Role.USER);
        Http http = new Http(port);
        for (int i = 0; i < 10; i++) {
            assertThat(http.get("/api/tokens", "Authorization", Http.basic("quinn", "guess-" + i),
                    "X-Forwarded-For", "203.0.113.9").statusCode()).isEqualTo(401);
        }
        assertThat(http.get("/api/tokens", "Authorization", Http.basic("quinn", "quinn-password-1"),
                "X-Forwarded-For", "203.0.113.9").statusCode()).as("the guesser").isEqualTo(429);
        assertThat(http.get("/api/tokens", "Authorization", Http.basic("quinn", "quinn-password-1"),
                "X-Forwarded-For", "198.51.100.2").statusCode()).as("quinn, elsewhere").isEqualTo(200);
    }
}

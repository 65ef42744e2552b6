package dev.switchboard.security;

import jakarta.servlet.http.Cookie;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class DeviceCookiesTest {

    private final MutableClock clock = new MutableClock();
    private final DeviceCookies devices = new DeviceCookies(DeviceCookies.key("a configured key", null),
            Duration.ofDays(180), clock);

    @Test
    void aCookieNamesTheUserItWasIssuedToAndAnIdOfItsOwn() {
        String value = devices.issue("Carol");
        DeviceCookies.Device d = devices.verify(value);
        assertThat(d.username()).isEqualTo("carol");
        assertThat(d.id()).isNotBlank();
        assertThat(devices.verify(devices.issue("carol")).id()).as("each login a new device id").isNotEqualTo(d.id());

        var details = devices.buildDetails(request(value));
        assertThat(details.deviceFor("CAROL")).isEqualTo(d.id());
        assertThat(details.deviceFor("mallory")).as("a device known for another name only").isNull();
    }

    @Test
    void aTamperedForgedOrExpiredCookieIsNoDevice() {
        String value = devices.issue("carol");
        String[] parts = value.split("\\.");
        String otherUser = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString("admin".getBytes());
        assertThat(devices.verify(otherUser + "." + parts[1] + "." + parts[2] + "." + parts[3])).isNull();
        assertThat(devices.verify(value + "x")).isNull();
        assertThat(devices.verify("garbage")).isNull();
        DeviceCookies otherKey = new DeviceCookies(DeviceCookies.key("another key", null), Duration.ofDays(180), clock);
        assertThat(otherKey.verify(value)).as("signed with another key").isNull();

        clock.advance(Duration.ofDays(180));
        assertThat(devices.verify(value)).as("expired").isNull();
        assertThat(devices.buildDetails(request(value)).deviceFor("carol")).isNull();
    }

    @Test
    void theKeyComesFromTheSettingOrIsMadeOnceAndKeptInTheDatabase() {
        assertThat(DeviceCookies.key("k", null)).isEqualTo(DeviceCookies.key("k", null)).hasSize(32)
                .isNotEqualTo(DeviceCookies.key("k2", null));

        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:device-key-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        JdbcClient jdbc = JdbcClient.create(h2);
        jdbc.sql("CREATE TABLE server_secrets (name VARCHAR(64) PRIMARY KEY, secret VARCHAR(128) NOT NULL)").update();
        byte[] made = DeviceCookies.key(null, jdbc);
        assertThat(made).hasSize(32);
        assertThat(DeviceCookies.key("", jdbc)).as("a restart, or another instance").isEqualTo(made);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM server_secrets").query(Integer.class).single()).isEqualTo(1);
    }

    @Test
    void aLoginSetsAStrictHttpOnlyCookieUnlessTheDeviceHasAFreshOne() {
        var login = UsernamePasswordAuthenticationToken.authenticated("carol", null, List.of());
        MockHttpServletResponse first = new MockHttpServletResponse();
        devices.loginSuccess(new MockHttpServletRequest(), first, login);
        String setCookie = first.getHeader("Set-Cookie");
        assertThat(setCookie).startsWith(DeviceCookies.COOKIE + "=").contains("HttpOnly").contains("SameSite=Strict")
                .contains("Path=/").contains("Max-Age=" + Duration.ofDays(180).toSeconds());
        String value = setCookie.substring(setCookie.indexOf('=') + 1, setCookie.indexOf(';'));

        MockHttpServletResponse again = new MockHttpServletResponse();
        devices.loginSuccess(request(value), again, login);
        assertThat(again.getHeader("Set-Cookie")).as("fresh enough").isNull();

        clock.advance(Duration.ofDays(91));
        MockHttpServletResponse renewed = new MockHttpServletResponse();
        devices.loginSuccess(request(value), renewed, login);
        assertThat(renewed.getHeader("Set-Cookie")).as("renewed after half its life").startsWith(DeviceCookies.COOKIE);
    }

    private static MockHttpServletRequest request(String deviceCookie) {
        MockHttpServletRequest r = new MockHttpServletRequest();
        r.setRemoteAddr("198.51.100.4");
        r.setCookies(new Cookie(DeviceCookies.COOKIE, deviceCookie));
        return r;
    }
}

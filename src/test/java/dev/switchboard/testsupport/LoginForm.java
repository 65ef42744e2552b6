package dev.switchboard.testsupport;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The login form over plain HTTP, posted as the browser posts it: with the session cookie and the CSRF token of the
 * login page (Vaadin renders Spring's token into {@code <meta name="_csrf">}; vaadin-login-form sends it back).
 * The client must not follow redirects.
 */
public final class LoginForm {
    private static final Pattern TOKEN = Pattern.compile("<meta name=\"_csrf\" content=\"([^\"]+)\"");

    /** What GET /login gave: its session cookie ("JSESSIONID=...") and the CSRF token in the page. */
    public record Page(String sessionCookie, String csrfToken) {
    }

    private LoginForm() {
    }

    /** GET /login, sending {@code cookies} (may be null). */
    public static Page open(HttpClient http, int port, String cookies) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/login")).header("Accept", "text/html");
        if (cookies != null) b.header("Cookie", cookies);
        HttpResponse<String> page = send(http, b);
        Matcher token = TOKEN.matcher(page.body());
        if (!token.find()) throw new AssertionError("no CSRF token in the login page: " + page.statusCode());
        String session = page.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("JSESSIONID="))
                .map(c -> c.substring(0, c.indexOf(';') < 0 ? c.length() : c.indexOf(';'))).findFirst()
                .orElse(cookies);
        return new Page(session, token.group(1));
    }

    /** Opens the login page and posts the form with its token. */
    public static HttpResponse<String> post(HttpClient http, int port, String username, String password) {
        return post(http, port, open(http, port, null), username, password, null);
    }

    /** Posts the form with this page's session and token, and {@code moreCookies} (e.g. a device cookie; may be null). */
    public static HttpResponse<String> post(HttpClient http, int port, Page page, String username, String password,
                                            String moreCookies) {
        String cookies = page.sessionCookie() == null ? moreCookies
                : moreCookies == null ? page.sessionCookie() : page.sessionCookie() + "; " + moreCookies;
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("username=" + enc(username) + "&password=" + enc(password)
                        + "&_csrf=" + enc(page.csrfToken())));
        if (cookies != null) b.header("Cookie", cookies);
        return send(http, b);
    }

    private static HttpResponse<String> send(HttpClient http, HttpRequest.Builder b) {
        try {
            return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}

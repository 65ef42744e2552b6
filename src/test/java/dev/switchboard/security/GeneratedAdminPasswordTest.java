package dev.switchboard.security;

import dev.switchboard.users.PasswordPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** First start without SWITCHBOARD_ADMIN_PASSWORD: a random admin password, logged once in one line, that works. */
@ExtendWith(OutputCaptureExtension.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.datasource.url=jdbc:h2:mem:sec-${random.uuid};DB_CLOSE_DELAY=-1",
        "switchboard.admin-password="})
@DirtiesContext
class GeneratedAdminPasswordTest {

    private static final Pattern LINE = Pattern.compile(
            "Created user 'admin' with generated password: (\\S+) \\(set SWITCHBOARD_ADMIN_PASSWORD to choose it\\)");

    @LocalServerPort
    int port;

    @Test
    void generatedPasswordIsLoggedOnceAndWorks(CapturedOutput output) {
        List<String> lines = output.getAll().lines().filter(l -> l.contains("generated password")).toList();
        assertThat(lines).hasSize(1);
        Matcher m = LINE.matcher(lines.get(0));
        assertThat(m.find()).isTrue();
        String password = m.group(1);
        assertThat(password).hasSizeGreaterThanOrEqualTo(PasswordPolicy.MIN_LENGTH);

        var http = new Http(port);
        assertThat(http.get("/api/tokens", "Authorization", Http.basic("admin", password)).statusCode()).isEqualTo(200);
    }
}
